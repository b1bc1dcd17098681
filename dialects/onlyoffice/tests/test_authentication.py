"""POST api/2.0/authentication and the bare `Authorization: <token>` header (docs/onlyoffice.md, "Authentication")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication

pytestmark = pytest.mark.django_db

CREDENTIALS = {"userName": "alice", "password": "secret-pass-123"}


def test_authentication_issues_a_token_accepted_as_a_bare_header(api, alice):
    response = api("POST", "authentication", CREDENTIALS, token=None)
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["count", "status", "statusCode", "response"]
    assert list(body["response"]) == ["token", "expires"]
    assert body["response"]["expires"].endswith("Z")
    me = api("GET", "crm/contact/filter", token=body["response"]["token"])
    assert me.status_code == 200


def test_authentication_takes_a_form_body_and_the_json_suffix(api, alice):
    response = api("POST", "authentication.json", CREDENTIALS, token=None, form=True)
    assert response.status_code == 201
    assert response.json()["statusCode"] == 201


def test_authentication_in_xml(api, alice):
    response = api("POST", "authentication.xml", CREDENTIALS, token=None)
    assert response.status_code == 201
    assert response.content.startswith(b"<result><count>1</count><status>0</status><statusCode>201</statusCode>")
    assert b"<token>" in response.content and b"<expires>" in response.content


def test_wrong_password_or_inactive_user_is_401(api, alice):
    assert api("POST", "authentication", {**CREDENTIALS, "password": "nope"}, token=None).status_code == 401
    alice.is_active = False
    alice.save()
    assert api("POST", "authentication", CREDENTIALS, token=None).status_code == 401


def test_a_bearer_prefix_is_tolerated(api, alice):
    token = OnlyofficeTokenAuthentication.issue(user=alice)[0]
    assert api("GET", "crm/contact/filter", token=f"Bearer {token}").status_code == 200


def test_a_users_api_key_is_accepted_as_a_token(api, api_key):
    assert api("GET", "crm/contact/filter", token=api_key).status_code == 200


def test_a_forged_token_is_401(api, alice):
    token = OnlyofficeTokenAuthentication.issue(user=alice)[0]
    response = api("GET", "crm/contact/filter", token=token[:-2] + "xx")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The token is invalid or has expired"


def test_an_expired_token_is_401(api, alice, monkeypatch):
    token = OnlyofficeTokenAuthentication.issue(user=alice)[0]
    monkeypatch.setattr(OnlyofficeTokenAuthentication, "max_age", timedelta(seconds=-1))
    assert api("GET", "crm/contact/filter", token=token).status_code == 401


def test_changing_the_password_revokes_tokens(api, alice):
    token = OnlyofficeTokenAuthentication.issue(user=alice)[0]
    alice.set_password("another-pass-456")
    alice.save()
    assert api("GET", "crm/contact/filter", token=token).status_code == 401


def test_a_signed_in_browser_session_needs_no_token(client, alice, project):
    client.force_login(alice)
    assert client.get("/api/2.0/crm/contact/filter").status_code == 200


def test_password_guessing_is_throttled(api, alice):
    for _ in range(20):
        api("POST", "authentication", {**CREDENTIALS, "password": "guess"}, token=None)
    response = api("POST", "authentication", CREDENTIALS, token=None)
    assert response.status_code == 429
    assert response.json()["status"] == 1 and response.json()["statusCode"] == 429


def test_a_session_needs_its_csrf_token_to_write(alice, project):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post("/api/2.0/crm/contact/person", {"firstName": "A", "lastName": "B"})
    assert response.status_code == 403
    assert response.json()["error"]["message"].startswith("CSRF Failed")


def test_an_xml_body_is_415_in_the_envelope(api):
    response = api.client.post(
        "/api/2.0/crm/contact/person", "<person/>", content_type="application/xml", HTTP_AUTHORIZATION=api.token
    )
    assert response.status_code == 415 and response.json()["statusCode"] == 415
