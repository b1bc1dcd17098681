"""The web-form intake: the documented HTML form, posted from another site with a WebForm key."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from contacts.models import Contact, Note, Visibility
from contacts.services import contact_create, webform_create
from contacts.webforms import webform_snippet
from dialects.redmine.tests.conftest import SEED_FORM, SEED_KEY, seed_form

pytestmark = pytest.mark.django_db

TYPED = {
    "contact[first_name]": "Grace",
    "contact[last_name]": "Hopper",
    "contact[company]": "Navy Labs",
    "contact[phone]": "+1 202 555 0143",
    "contact[email]": "grace@navy.example",
    "contact[tag_list]": "lead, conference",
    "contact[custom_fields][][value]": "Pro",
}


class FormFields(HTMLParser):
    """The (name, value) pairs a browser submits for a form, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action") or ""
        elif tag in ("input", "select", "textarea") and attributes.get("name"):
            self.pairs.append((attributes["name"], attributes.get("value") or ""))


def submit(html: str, typed: dict[str, str], forwarded_for: str = "", **extra: str):
    """Post the form as a browser on another site would: multipart, no CSRF token, no session."""
    form = FormFields()
    form.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in form.pairs:
        data.setdefault(name, []).append(typed.get(name, value))
    data.update({name: [value] for name, value in extra.items()})
    client = Client(enforce_csrf_checks=True)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        form.action, data, headers={"Origin": "https://shop.example", "Referer": "https://shop.example/", **headers}
    )


@pytest.fixture(autouse=True)
def _empty_cache(database_cache):
    cache.clear()


def test_the_seeds_form_creates_a_contact_in_the_forms_project(webform, plugin_project):
    response = submit(seed_form(webform), TYPED)
    assert response.status_code == 201
    contact = Contact.objects.get(first_name="Grace")
    assert response.json() == {
        "contact": {"id": None, "is_company": False, "first_name": "Grace", "last_name": "Hopper"}
    }
    assert list(contact.projects.all()) == [plugin_project]
    assert contact.company.name == "Navy Labs"
    assert [(i.kind, i.value) for i in contact.items.all()] == [
        ("tel", "+1 202 555 0143"),
        ("email", "grace@navy.example"),
    ]
    assert sorted(contact.tags.names()) == ["conference", "lead"]
    assert contact.custom_values.get().value == "Pro"
    assert contact.visibility == Visibility.PROJECT


def test_the_form_may_post_to_the_xml_route(webform):
    response = submit(seed_form(webform, "xml"), TYPED)
    assert response.status_code == 201
    assert response.content == (
        b'<?xml version="1.0" encoding="UTF-8"?><contact><id/><is_company>false</is_company>'
        b"<first_name>Grace</first_name><last_name>Hopper</last_name></contact>"
    )


def test_a_users_api_key_as_form_key_is_refused(webform, api_key):
    response = submit(
        SEED_FORM.replace('action=""', 'action="/redmine/contacts.json"').replace(SEED_KEY, api_key), TYPED
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_an_unknown_or_inactive_form_key_is_401(webform):
    assert submit(seed_form(webform).replace(webform.key, "f" * 40), TYPED).status_code == 401
    webform.is_active = False
    webform.save()
    assert submit(seed_form(webform), TYPED).status_code == 401
    assert not Contact.objects.exists()


def test_a_form_key_cannot_read_or_change_anything(webform, make_contact):
    apple = make_contact(is_company=True, name="Apple Inc.")
    client = Client()
    assert client.get(f"/redmine/contacts.json?key={webform.key}").status_code == 401
    response = client.post(
        f"/redmine/contacts/{apple.pk}/projects.json", {"key": webform.key, "project[id]": "support"}
    )
    assert response.status_code == 401
    assert apple.projects.count() == 1


def test_redirect_on_success_goes_only_to_allowed_hosts(webform):
    ok = submit(seed_form(webform), TYPED, redirect_on_success="https://shop.example/thanks")
    assert (ok.status_code, ok["Location"]) == (302, "https://shop.example/thanks")
    elsewhere = submit(
        seed_form(webform), TYPED | {"contact[email]": "x@y.example"}, redirect_on_success="https://evil.example/"
    )
    assert elsewhere.status_code == 201 and "Location" not in elsewhere
    assert Contact.objects.filter(is_company=False).count() == 2


def test_a_filled_honeypot_stores_nothing(webform):
    response = submit(seed_form(webform), TYPED, website_url="http://spam.example")
    assert response.status_code == 204
    assert not Contact.objects.exists()


def test_posts_per_ip_are_limited(webform):
    webform.rate_limit_per_hour = 2
    webform.save()
    for n in range(2):
        assert submit(seed_form(webform), TYPED | {"contact[email]": f"g{n}@navy.example"}).status_code == 201
    response = submit(seed_form(webform), TYPED | {"contact[email]": "g3@navy.example"})
    assert response.status_code == 429
    assert response.json()["errors"]
    assert Contact.objects.filter(is_company=False).count() == 2


def test_field_lengths_are_bounded(webform):
    response = submit(seed_form(webform), TYPED | {"contact[first_name]": "G" * 300})
    assert response.status_code == 422
    assert response.json() == {"errors": ["First name is too long (255 characters at most)"]}
    assert not Contact.objects.exists()


def test_a_known_email_adds_a_note_instead_of_a_duplicate(webform):
    first = submit(seed_form(webform), TYPED)
    again = submit(
        seed_form(webform), TYPED | {"contact[phone]": "+1 202 555 0199", "contact[email]": "GRACE@navy.example"}
    )
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    contact = Contact.objects.get(is_company=False)
    assert [i.value for i in contact.items.filter(kind="tel")] == ["+1 202 555 0143"]
    note = Note.objects.get(contact=contact)
    assert "Phone: +1 202 555 0199" in note.content and "License: Pro" in note.content


def test_a_form_posting_another_projects_id_is_refused(webform, project):
    response = submit(seed_form(webform).replace('value="contacts-plugin"', 'value="support"'), TYPED)
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_fields_the_form_does_not_allow_are_ignored(webform):
    submit(seed_form(webform), TYPED, **{"contact[visibility]": "1", "contact[job_title]": "Admiral"})
    contact = Contact.objects.get(first_name="Grace")
    assert (contact.visibility, contact.job_title) == (Visibility.PROJECT, "")


def test_the_snippet_of_a_webform_posts_back_into_the_intake(webform):
    html = webform_snippet(webform, base_url="http://testserver/")
    typed = {
        "contact[first_name]": "Snip",
        "contact[email]": "snip@x.example",
        "contact[custom_fields][][value]": "Basic",
    }
    response = submit(html.replace("http://testserver", ""), typed)
    assert response.status_code == 201
    assert Contact.objects.get(first_name="Snip").custom_values.get().value == "Basic"


def test_behind_a_proxy_each_visitor_has_their_own_limit(webform, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    webform.rate_limit_per_hour = 1
    webform.save()
    first = submit(seed_form(webform), TYPED | {"contact[email]": "a@navy.example"}, forwarded_for="203.0.113.7")
    second = submit(seed_form(webform), TYPED | {"contact[email]": "b@navy.example"}, forwarded_for="203.0.113.8")
    # A forged left-most entry does not escape the limit: the proxy's own entry counts.
    forged = submit(
        seed_form(webform), TYPED | {"contact[email]": "c@navy.example"}, forwarded_for="1.2.3.4, 203.0.113.7"
    )
    assert (first.status_code, second.status_code, forged.status_code) == (201, 201, 429)


def test_the_snippet_posts_to_the_forms_own_route(webform):
    html = webform_snippet(webform, base_url="http://testserver/")
    assert f'action="http://testserver/forms/{webform.key}/"' in html


def test_the_forms_own_route_and_the_redmine_alias_both_take_a_submission(webform):
    own = submit(
        seed_form(webform).replace('action="/redmine/contacts.json"', f'action="/forms/{webform.key}/"'), TYPED
    )
    alias = submit(seed_form(webform), TYPED | {"contact[email]": "other@navy.example"})
    assert (own.status_code, alias.status_code) == (201, 201)
    assert own.json()["contact"]["first_name"] == "Grace"
    assert Contact.objects.filter(first_name="Grace").count() == 2


def test_the_forms_own_route_refuses_an_unknown_key(webform):
    response = Client().post("/forms/not-a-key/", {"contact[first_name]": "X"})
    assert response.status_code == 401
    assert not Contact.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_forms_own_route_only_takes_posts(webform, method):
    assert getattr(Client(), method)(f"/forms/{webform.key}/").status_code in (401, 403, 405)
    assert not Contact.objects.exists()


def test_a_known_email_gets_the_same_answer_as_a_new_one_and_discloses_nothing(webform, plugin_project, bob):
    hidden = make_hidden_contact(plugin_project, bob, first_name="Secret", email="known@navy.example")
    known = submit(seed_form(webform), TYPED | {"contact[email]": "known@navy.example"})
    new = submit(seed_form(webform), TYPED | {"contact[email]": "new@navy.example"})
    assert (known.status_code, known.json()) == (new.status_code, new.json()) == (201, {"contact": RECEIPT})
    assert b"Secret" not in known.content and str(hidden.pk).encode() not in known.content
    assert Note.objects.get().contact == hidden


def test_a_known_email_in_the_xml_route_gets_the_same_answer_as_a_new_one(webform, plugin_project, bob):
    make_hidden_contact(plugin_project, bob, first_name="Secret", email="known@navy.example")
    known = submit(seed_form(webform, "xml"), TYPED | {"contact[email]": "known@navy.example"})
    new = submit(seed_form(webform, "xml"), TYPED | {"contact[email]": "new@navy.example"})
    assert (known.status_code, known.content) == (new.status_code, new.content)
    assert b"Secret" not in known.content


def test_a_form_of_a_project_without_a_manager_still_finds_duplicates(plugin_project, license_one):
    plugin_project.memberships.all().delete()
    form = webform_create(project=plugin_project, name="Orphan form", created_by=None)
    first = submit(seed_form(form), TYPED)
    again = submit(seed_form(form), TYPED | {"contact[email]": "Grace@Navy.example"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert Contact.objects.filter(is_company=False).count() == 1
    assert Contact.objects.filter(is_company=True).count() == 1


RECEIPT = {"id": None, "is_company": False, "first_name": "Grace", "last_name": "Hopper"}


def make_hidden_contact(project, author, *, first_name: str, email: str) -> Contact:
    """A private contact of the project that the form's creator (alice) may not see."""
    return contact_create(
        user=author,
        fields={"first_name": first_name, "last_name": "Agent", "visibility": Visibility.PRIVATE},
        items=[{"kind": "email", "value": email}],
        projects=[project],
        check_permissions=False,
    )


def test_the_rate_limit_counts_in_the_cache_table_every_worker_shares(webform):
    submit(seed_form(webform), TYPED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM crm_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert any(f"webform-rate:{webform.pk}:" in key for key in keys)
