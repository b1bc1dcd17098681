"""Password guessing through the dialects is throttled per account and per address (django-axes),
answered in the dialect's own format, cheap to refuse, and never slows a request bearing an API key."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.test import Client

pytestmark = pytest.mark.django_db

REDMINE = "/redmine/contacts.json"
ONLYOFFICE = "/api/2.0/authentication"


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Usernames whose password the model backend checked (each check costs a hash)."""
    checked: list[str] = []
    original = ModelBackend.authenticate

    def counting(self: ModelBackend, request: Any, username: str | None = None, **kwargs: Any) -> Any:
        checked.append(username or "")
        return original(self, request, username=username, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return checked


def redmine(credentials: str, *, address: str = "10.0.0.1") -> Any:
    return Client().get(REDMINE, HTTP_AUTHORIZATION=basic(credentials), REMOTE_ADDR=address)


def onlyoffice(username: str, password: str, *, address: str = "10.0.0.1", suffix: str = "") -> Any:
    body = json.dumps({"userName": username, "password": password})
    return Client().post(ONLYOFFICE + suffix, body, content_type="application/json", REMOTE_ADDR=address)


def test_redmine_basic_refuses_the_right_password_after_five_wrong_ones(alice, settings, password_checks):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert redmine("alice:guess").status_code == 401
    assert redmine("alice:guess").status_code == 429
    checked = len(password_checks)
    response = redmine("alice:secret-pass-123")
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)
    assert response.json() == {"errors": [response.json()["errors"][0]]}
    assert len(password_checks) == checked, "a locked-out password must not be hashed"


def test_redmine_basic_locks_an_account_guessed_from_many_addresses(alice, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        redmine("alice:guess", address=f"10.0.1.{index}")
    assert redmine("alice:secret-pass-123", address="10.0.2.1").status_code == 429


def test_redmine_basic_locks_an_address_guessing_many_accounts(alice, bob, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        redmine(f"user{index}:guess", address="10.0.3.1")
    assert redmine("bob:secret-pass-123", address="10.0.3.1").status_code == 429
    assert redmine("bob:secret-pass-123", address="10.0.3.2").status_code == 200


def test_a_valid_api_key_is_never_slowed_by_a_locked_address_or_account(alice, api_key, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        redmine("alice:guess")
    assert redmine("alice:secret-pass-123").status_code == 429
    assert redmine(f"{api_key}:anything").status_code == 200
    assert Client().get(f"{REDMINE}?key={api_key}", REMOTE_ADDR="10.0.0.1").status_code == 200
    response = Client().get("/api/2.0/crm/contact/filter", HTTP_AUTHORIZATION=api_key, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200


def test_an_api_key_sent_as_basic_username_is_not_counted_as_a_failed_password(alice, api_key, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        assert redmine(f"{api_key}:x").status_code == 200
    assert not AccessAttempt.objects.exists()
    assert redmine("alice:secret-pass-123").status_code == 200


@pytest.mark.parametrize("header", ["Basic %%%", "Basic ", "Basic YWxpY2U=", "Basic OnNlY3JldA==", "Basic //79"])
def test_a_malformed_basic_header_is_refused_without_checking_a_password(db, header, password_checks):
    response = Client().get(REDMINE, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert password_checks == []


def test_failed_attempts_are_counted_in_the_database_shared_by_every_worker(alice):
    redmine("alice:guess", address="10.0.4.1")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("alice", "10.0.4.1", 1)


def test_onlyoffice_authentication_is_locked_out_in_its_own_envelope(alice, settings, password_checks):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert onlyoffice("alice", "guess").status_code == 401
    assert onlyoffice("alice", "guess").status_code == 429
    checked = len(password_checks)
    response = onlyoffice("alice", "secret-pass-123", address="10.9.9.9")
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)
    body = response.json()
    assert (body["status"], body["statusCode"]) == (1, 429)
    assert body["error"]["message"]
    assert len(password_checks) == checked


def test_onlyoffice_lockout_in_xml_is_its_xml_envelope(alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        onlyoffice("alice", "guess")
    response = onlyoffice("alice", "secret-pass-123", suffix=".xml")
    assert response.status_code == 429
    assert response.content.startswith(b"<result>")
