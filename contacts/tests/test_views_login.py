"""Sign-in pages (the UI's and the admin's) refuse password guessing after a few failures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sign_in(url: str, username: str, password: str, *, address: str = "10.0.0.1") -> object:
    return Client().post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_is_refused_after_five_wrong_ones(url, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(url, admin_user.username, "guess").status_code == 200
    response = sign_in(url, admin_user.username, "guess")
    assert response.status_code == 429
    response = sign_in(url, admin_user.username, "secret-pass-123")
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_ui_sign_in_is_locked_per_address_across_accounts(alice, bob, settings):
    url = reverse("login")
    for index in range(settings.AXES_FAILURE_LIMIT):
        sign_in(url, f"nobody{index}", "guess", address="10.1.1.1")
    assert sign_in(url, "bob", "secret-pass-123", address="10.1.1.1").status_code == 429
    assert sign_in(url, "bob", "secret-pass-123", address="10.1.1.2").status_code == 302


def test_ui_sign_in_below_the_limit_succeeds_and_starts_the_count_afresh(alice, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(url, "alice", "guess")
    assert sign_in(url, "alice", "secret-pass-123").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(url, "alice", "guess").status_code == 200
    assert sign_in(url, "alice", "secret-pass-123").status_code == 302
