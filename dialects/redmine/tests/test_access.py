"""Who may call the API, and that a private contact never shows to a user who may not see it."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from contacts.models import ApiKey, Visibility

pytestmark = pytest.mark.django_db


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.mark.parametrize("how", ["query", "header", "basic-password", "basic-key"])
def test_every_credential_form_of_redmine_is_accepted(alice, api_key, make_contact, how):
    make_contact()
    client = APIClient()
    url = "/redmine/contacts.json"
    if how == "query":
        response = client.get(f"{url}?key={api_key}")
    elif how == "header":
        response = client.get(url, HTTP_X_REDMINE_API_KEY=api_key)
    elif how == "basic-password":
        response = client.get(url, HTTP_AUTHORIZATION=basic("alice:secret-pass-123"))
    else:
        response = client.get(url, HTTP_AUTHORIZATION=basic(f"{api_key}:anything"))
    assert response.json()["total_count"] == 1


def test_no_credentials_get_401_with_the_basic_challenge():
    response = APIClient().get("/redmine/contacts.xml")
    assert (response.status_code, response.content) == (401, b"")
    assert response["WWW-Authenticate"] == 'Basic realm="Redmine API"'


def test_a_wrong_key_gets_401_without_a_challenge(db):
    response = APIClient().get("/redmine/contacts.json?key=wrong")
    assert response.status_code == 401
    assert "WWW-Authenticate" not in response


def test_a_signed_in_session_reads_without_a_key(client, alice, make_contact):
    make_contact()
    client.force_login(alice)
    assert client.get("/redmine/contacts.json").json()["total_count"] == 1


def test_a_session_write_needs_the_csrf_token(alice, project):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/redmine/contacts.json", {"contact": {"first_name": "J", "project_id": "support"}}, format="json"
    )
    assert response.status_code == 403


def test_a_key_records_its_last_use(alice, api_key):
    APIClient().get(f"/redmine/contacts.json?key={api_key}")
    assert ApiKey.objects.get(key=api_key).last_used_at is not None


@pytest.fixture
def secret(make_contact, project):
    """alice's private contact in the `support` project that bob (a member) may not see."""
    return make_contact(
        first_name="Secret",
        last_name="Agent",
        visibility=Visibility.PRIVATE,
        tags=["hidden-tag"],
        items=[{"kind": "email", "value": "agent@secret.example"}],
    )


@pytest.fixture
def public(make_contact):
    return make_contact(first_name="Open", tags=["open-tag"])


@pytest.mark.parametrize(
    "url",
    [
        "/redmine/contacts.json",
        "/redmine/contacts.xml",
        "/redmine/contacts.json?search=agent",
        "/redmine/contacts.json?search=secret.example",
        "/redmine/contacts.json?tags=hidden-tag",
        "/redmine/contacts.json?project_id=support",
        "/redmine/projects/support/contacts.xml",
        "/redmine/contacts_tags.json",
        "/redmine/contacts.vcf",
        "/redmine/contacts.csv",
        "/redmine/notes.json",
    ],
)
def test_a_private_contact_never_appears_to_a_member_who_may_not_see_it(client_for, bob, secret, public, url):
    response = client_for(bob).get(url)
    assert response.status_code == 200
    assert b"Secret" not in response.content and b"hidden-tag" not in response.content
    assert b"agent@secret.example" not in response.content


@pytest.mark.parametrize(
    "url", ["/redmine/contacts/{pk}.json", "/redmine/contacts/{pk}.xml?include=notes", "/redmine/contacts/{pk}.vcf"]
)
def test_a_private_contact_is_404_for_a_user_who_may_not_see_it(client_for, bob, secret, url):
    assert client_for(bob).get(url.format(pk=secret.pk)).status_code == 404


def test_the_author_and_the_access_list_see_a_private_contact(client_for, alice, bob, secret):
    assert client_for(alice).get(f"/redmine/contacts/{secret.pk}.json").status_code == 200
    secret.access_list.add(bob)
    assert client_for(bob).get("/redmine/contacts.json?search=agent").json()["total_count"] == 1


def test_a_project_contact_is_seen_by_members_only(client_for, bob, outsider, make_contact):
    contact = make_contact(first_name="Members", visibility=Visibility.PROJECT)
    assert client_for(bob).get(f"/redmine/contacts/{contact.pk}.json").status_code == 200
    assert client_for(outsider).get(f"/redmine/contacts/{contact.pk}.json").status_code == 404


def test_an_admin_may_act_as_another_user(client_for, admin_user, bob, secret):
    admin = client_for(admin_user)
    assert admin.get(f"/redmine/contacts/{secret.pk}.json").status_code == 200
    assert admin.get(f"/redmine/contacts/{secret.pk}.json", HTTP_X_REDMINE_SWITCH_USER="bob").status_code == 404
    assert admin.get("/redmine/contacts.json", HTTP_X_REDMINE_SWITCH_USER="nobody").status_code == 412


def test_switch_user_is_ignored_for_non_admins(client_for, alice, secret):
    response = client_for(alice).get(f"/redmine/contacts/{secret.pk}.json", HTTP_X_REDMINE_SWITCH_USER="bob")
    assert response.status_code == 200
