"""Forgotten passwords: Django's reset by email, with links built from the request.

Tests send mail to `mail.outbox` (Django's test mail backend); a server uses the console backend.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
LINK = re.compile(r"(https?://\S+/accounts/reset/\S+/)")


def test_the_sign_in_page_offers_forgot_password(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Forgot password?</a>' in page


def test_the_email_has_a_link_to_this_host_that_sets_a_new_password(client, alice, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "crm.example.com"]
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"}, HTTP_HOST="crm.example.com")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Choose a new password for crm.example.com"
    link = LINK.search(message.body).group(1)
    assert link.startswith("http://crm.example.com/accounts/reset/")

    path = link.removeprefix("http://crm.example.com")
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "a-new-pass-4711", "new_password2": "a-new-pass-4711"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert get_user_model().objects.get(pk=alice.pk).check_password("a-new-pass-4711")
    assert "This link no longer works" in client.get(path, follow=True).content.decode()


def test_an_unknown_email_sends_nothing_and_says_the_same(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
