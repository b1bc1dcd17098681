"""The contact editor's fields: each kind shows its own, says what a field accepts, and refuses
what does not fit (too long, out of range) with a message, in the UI and the admin."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.forms.editor import ContactEditor, ItemForm
from contacts.models import PRIORITY_MAX, Contact
from contacts.services import contact_create

pytestmark = pytest.mark.django_db


def test_a_companys_form_has_no_job_title_department_or_person_names(alice):
    fields = ContactEditor(user=alice, is_company=True).form.fields
    assert "name" in fields
    assert not {"job_title", "department", "first_name", "last_name", "salutation", "birthday"} & set(fields)


def test_a_persons_form_has_no_company_name_field(alice):
    fields = ContactEditor(user=alice, is_company=False).form.fields
    assert {"first_name", "job_title", "department"} <= set(fields)
    assert not {"name", "registration_number", "vat_number"} & set(fields)


def test_the_company_page_shows_no_job_title_and_saving_keeps_the_stored_one(alice_client, alice, project):
    acme = contact_create(
        user=alice, fields={"is_company": True, "name": "Acme", "job_title": "Widgets"}, projects=[project]
    )
    page = alice_client.get(reverse("contacts:contact-update", args=[acme.pk])).content.decode()
    assert 'name="name"' in page
    assert 'name="job_title"' not in page and 'name="department"' not in page and 'name="first_name"' not in page
    editor = ContactEditor(user=alice, contact=acme)
    data = {
        "name": "Acme Ltd",
        "visibility": "public",
        "version": editor.form.initial["version"],
        "projects": [project.pk],
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    }
    assert alice_client.post(reverse("contacts:contact-update", args=[acme.pk]), data).status_code == 302
    acme.refresh_from_db()
    assert (acme.name, acme.job_title) == ("Acme Ltd", "Widgets")


def test_the_form_says_what_phone_website_and_currency_accept(alice_client):
    page = alice_client.get(reverse("contacts:contact-create")).content.decode()
    assert "Any format, e.g. +1 383 224 4242" in page
    assert "With or without https://" in page
    assert "3-letter code, e.g. EUR" in page


def test_an_item_rows_hint_follows_its_kind_stored_or_sent():
    assert ItemForm(initial={"kind": "url"}).fields["value"].help_text == "With or without https://"
    assert ItemForm({"kind": "tel", "value": "1"}).fields["value"].help_text == "Any format, e.g. +1 383 224 4242"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "EURO", "A currency is a 3-letter code, e.g. EUR (this has 4 letters)."),
        ("job_title", "x" * 256, "Ensure this value has at most 255 characters (it has 256)."),
        ("birthday", "1899-12-31", "Birthday cannot be before 1900."),
        ("birthday", (date.today() + timedelta(days=2)).isoformat(), "Birthday cannot be in the future."),
        ("priority", str(PRIORITY_MAX + 1), f"Ensure this value is less than or equal to {PRIORITY_MAX}."),
    ],
)
def test_a_value_too_long_or_out_of_range_is_refused_with_a_message(
    alice_client, contact_form_data, field, value, message
):
    response = alice_client.post(
        reverse("contacts:contact-create"), contact_form_data(first_name="Ada", **{field: value})
    )
    assert response.status_code == 200
    assert message in response.context["editor"].form.errors[field]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"birthday": date(1899, 12, 31)}, "birthday"),
        ({"birthday": date.today() + timedelta(days=2)}, "birthday"),
        ({"priority": PRIORITY_MAX + 1}, "priority"),
        ({"priority": -PRIORITY_MAX - 1}, "priority"),
        ({"currency": "EURO"}, "currency"),
        ({"job_title": "x" * 256}, "job_title"),
    ],
)
def test_every_channel_refuses_out_of_range_values_through_the_model(alice, fields, key):
    with pytest.raises(ValidationError) as caught:
        contact_create(user=alice, fields={"first_name": "Ada", **fields})
    assert key in caught.value.message_dict
    assert not Contact.objects.exists()


def test_the_edges_of_the_ranges_are_accepted(alice):
    ada = contact_create(
        user=alice, fields={"first_name": "Ada", "birthday": date(1900, 1, 1), "priority": PRIORITY_MAX}
    )
    assert (ada.birthday, ada.priority) == (date(1900, 1, 1), PRIORITY_MAX)
    assert contact_create(user=alice, fields={"first_name": "Bo", "birthday": date.today()}).birthday == date.today()


def test_the_admin_shows_a_company_no_person_fields_and_a_person_no_company_name(admin_client, alice):
    acme = contact_create(user=alice, fields={"is_company": True, "name": "Acme"})
    ada = contact_create(user=alice, fields={"first_name": "Ada", "company": acme})
    company_page = admin_client.get(reverse("admin:contacts_contact_change", args=[acme.pk])).content.decode()
    person_page = admin_client.get(reverse("admin:contacts_contact_change", args=[ada.pk])).content.decode()
    assert 'name="name"' in company_page
    assert 'name="job_title"' not in company_page and 'name="first_name"' not in company_page
    assert 'name="job_title"' in person_page and 'name="first_name"' in person_page
    assert 'name="name"' not in person_page and 'name="vat_number"' not in person_page
