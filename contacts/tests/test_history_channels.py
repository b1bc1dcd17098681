"""Each way into the CRM records its changes under its own channel, with the user who made them."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.forms import FileField
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from taggit.forms import TagField

from contacts.history import current_channel
from contacts.models import Contact, ContactChange
from contacts.services import apikey_get_or_create, contact_create_slotted, contact_update, webform_create
from contacts.slots import Slot
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication

pytestmark = pytest.mark.django_db


def last(contact: Contact) -> ContactChange:
    return ContactChange.objects.filter(contact=contact).latest("id")


def key_of(user: Any) -> str:
    return apikey_get_or_create(user=user).key


def test_outside_any_request_changes_are_system_changes(alice, make_contact):
    ada = make_contact(job_title="Engineer")

    contact_update(contact=ada, user=alice, fields={"job_title": "CTO"})

    assert (last(ada).channel, current_channel()) == ("system", "system")


def test_the_edit_form_records_a_web_change(alice_client, alice, make_contact, contact_form_data, project):
    ada = make_contact(job_title="Engineer")
    data = contact_form_data(first_name="Ada", last_name="Lovelace", job_title="CTO", projects=[project.pk])

    response = alice_client.post(reverse("contacts:contact-update", args=[ada.pk]), data)

    assert response.status_code == 302
    entry = last(ada)
    assert (entry.channel, entry.user, entry.action) == ("web", alice, "updated")
    assert entry.changes == {"Job title": ["Engineer", "CTO"]}


def test_the_contact_pages_tag_box_records_a_web_change(alice_client, make_contact):
    ada = make_contact(tags=["a"])

    alice_client.post(reverse("contacts:contact-tag-add", args=[ada.pk]), {"tags": "b"})

    assert (last(ada).channel, last(ada).changes) == ("web", {"Tags": ["a", "a, b"]})


def test_a_bulk_action_of_the_list_records_web_changes(alice_client, make_contact):
    ada, bea = make_contact(first_name="Ada"), make_contact(first_name="Bea")

    alice_client.post(reverse("contacts:contact-bulk"), {"ids": [ada.pk, bea.pk], "action": "tag", "tag": "vip"})

    assert [(last(c).channel, last(c).changes) for c in (ada, bea)] == [("web", {"Tags": ["", "vip"]})] * 2


def admin_form_data(client: Client, url: str) -> dict[str, Any]:
    """What the admin's change form posts back unchanged: every field's and inline row's value."""
    context = client.get(url).context
    data: dict[str, Any] = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or isinstance(field, FileField):
                continue
            if isinstance(field, TagField):
                data[form.add_prefix(name)] = field.widget.format_value(value)
            elif isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [getattr(v, "pk", v) for v in value]
            elif hasattr(field.widget, "widgets") and hasattr(value, "date"):
                data[form.add_prefix(name) + "_0"] = value.strftime("%Y-%m-%d")
                data[form.add_prefix(name) + "_1"] = value.strftime("%H:%M:%S")
            else:
                data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_the_admin_change_form_records_one_admin_change(admin_client, admin_user, make_contact):
    ada = make_contact(job_title="Engineer", tags=["a"], items=[{"kind": "email", "value": "ada@example.com"}])
    url = reverse("admin:contacts_contact_change", args=[ada.pk])
    data = admin_form_data(admin_client, url)
    data |= {"job_title": "CTO", "tags": "a, b", "items-0-value": "lovelace@example.com"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = last(ada)
    assert (entry.channel, entry.user, entry.action) == ("admin", admin_user, "updated")
    assert entry.changes == {
        "Job title": ["Engineer", "CTO"],
        "Email (work)": ["ada@example.com", "lovelace@example.com"],
        "Tags": ["a", "a, b"],
    }


def test_saving_the_admin_form_unchanged_records_nothing(admin_client, make_contact):
    ada = make_contact(job_title="Engineer", tags=["a"], items=[{"kind": "email", "value": "ada@example.com"}])
    url = reverse("admin:contacts_contact_change", args=[ada.pk])
    count = ContactChange.objects.count()

    assert admin_client.post(url, admin_form_data(admin_client, url)).status_code == 302

    assert ContactChange.objects.count() == count


def test_adding_a_contact_in_the_admin_records_created(admin_client, admin_user):
    data = {
        "first_name": "Grace",
        "visibility": "public",
        "created_at_0": "2024-01-02",
        "created_at_1": "10:00:00",
    }
    for prefix in ("items", "addresses", "custom_values", "notes"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    response = admin_client.post(reverse("admin:contacts_contact_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    grace = Contact.objects.get(first_name="Grace")
    entry = last(grace)
    assert (entry.channel, entry.action, entry.user) == ("admin", "created", admin_user)
    assert entry.changes["First name"] == ["", "Grace"]


def test_a_redmine_update_records_a_redmine_change(alice, make_contact):
    ada = make_contact(job_title="Engineer")
    client = APIClient()
    client.credentials(HTTP_X_REDMINE_API_KEY=key_of(alice))

    response = client.put(f"/redmine/contacts/{ada.pk}.json", {"contact": {"job_title": "CTO"}}, format="json")

    assert response.status_code == 204
    assert (last(ada).channel, last(ada).user, last(ada).changes) == (
        "redmine",
        alice,
        {"Job title": ["Engineer", "CTO"]},
    )


def test_an_onlyoffice_update_records_an_onlyoffice_change(client, alice, make_contact):
    ada = make_contact(job_title="Engineer")
    token = OnlyofficeTokenAuthentication.issue(user=alice)[0]
    body = {"firstName": "Ada", "lastName": "Lovelace", "jobTitle": "CTO"}

    response = client.put(
        f"/api/2.0/crm/contact/person/{ada.pk}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )

    assert response.status_code == 200, response.content
    assert (last(ada).channel, last(ada).user) == ("onlyoffice", alice)
    assert last(ada).changes["Job title"] == ["Engineer", "CTO"]


def test_an_incwo_update_records_an_incwo_change(alice, make_contact, project):
    ada = make_contact(job_title="Engineer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{key_of(alice)}:x".encode()).decode())

    response = client.put(
        f"/incwo/{project.pk}/contacts/{ada.pk}.xml",
        "<contact><job_title>CTO</job_title></contact>",
        content_type="application/xml",
    )

    assert response.status_code == 200, response.content
    assert (last(ada).channel, last(ada).user, last(ada).changes) == (
        "incwo",
        alice,
        {"Job title": ["Engineer", "CTO"]},
    )


def test_an_incoplax_update_records_an_incoplax_change(alice):
    layout = [Slot(name="mobile", kind="tel", tel_type="cell")]
    ada = contact_create_slotted(user=alice, fields={"first_name": "Ada", "department": "R&D"}, layout=layout, slots={})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key_of(alice)}")

    response = client.patch(f"/rest/v1/addressbook/contacts/{ada.uuid}", {"department": "Sales"}, format="json")

    assert response.status_code == 200, response.content
    assert (last(ada).channel, last(ada).user, last(ada).changes) == (
        "incoplax",
        alice,
        {"Department": ["R&D", "Sales"]},
    )


def test_the_web_form_records_a_webform_creation(alice, project):
    form = webform_create(project=project, name="Leads", created_by=alice, allowed_fields=["first_name", "email"])

    response = Client().post(
        f"/forms/{form.key}/", {"contact[first_name]": "Grace", "contact[email]": "grace@navy.example"}
    )

    assert response.status_code in (201, 302), response.content
    grace = Contact.objects.get(first_name="Grace")
    entry = last(grace)
    assert (entry.channel, entry.action) == ("webform", "created")
    assert entry.changes["Email (work)"] == ["", "grace@navy.example"]


def test_an_api_request_leaves_the_channel_as_it_found_it(alice, make_contact):
    ada = make_contact()
    client = APIClient()
    client.credentials(HTTP_X_REDMINE_API_KEY=key_of(alice))

    client.put(f"/redmine/contacts/{ada.pk}.json", {"contact": {"job_title": "CTO"}}, format="json")

    assert current_channel() == "system"
