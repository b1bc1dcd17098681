"""The contact editor: formsets are capped, and saving many rows costs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from contacts.forms.editor import MAX_ADDRESSES, MAX_ITEMS
from contacts.models import Address, Contact, ContactItem
from contacts.services import contact_create, contact_update
from contacts.versions import contact_version

pytestmark = pytest.mark.django_db


def _phones(count: int) -> list[dict[str, str]]:
    return [{"kind": "tel", "value": f"+1 415 555 {index:04d}"} for index in range(count)]


def _addresses(count: int) -> list[dict[str, str]]:
    return [{"street1": f"{index} Main Street", "city": "Oslo", "country": "NO"} for index in range(count)]


@pytest.mark.parametrize("prefix", ["items", "addresses"])
def test_a_forged_total_forms_of_2000_is_refused_without_building_2000_forms(
    alice_client, contact_form_data, prefix, django_assert_max_num_queries
):
    data = contact_form_data(first_name="Ada") | {f"{prefix}-TOTAL_FORMS": "2000"}
    with django_assert_max_num_queries(20):
        response = alice_client.post(reverse("contacts:contact-create"), data)
    assert response.status_code == 200
    formset = getattr(response.context["editor"], prefix)
    assert len(formset.forms) <= max(MAX_ITEMS, MAX_ADDRESSES)
    assert formset.non_form_errors()
    assert not Contact.objects.exists()


def test_more_items_than_the_cap_are_refused_with_a_message(alice_client, contact_form_data):
    data = contact_form_data(first_name="Ada", items=_phones(MAX_ITEMS + 1))
    response = alice_client.post(reverse("contacts:contact-create"), data)
    assert response.status_code == 200
    assert f"Please submit at most {MAX_ITEMS} forms." in response.content.decode()
    assert not Contact.objects.exists()


def test_the_cap_itself_is_accepted(alice_client, contact_form_data):
    data = contact_form_data(first_name="Ada", items=_phones(MAX_ITEMS), addresses=_addresses(MAX_ADDRESSES))
    response = alice_client.post(reverse("contacts:contact-create"), data)
    assert response.status_code == 302
    assert ContactItem.objects.count() == MAX_ITEMS
    assert Address.objects.count() == MAX_ADDRESSES


def _create_queries(alice, count: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        contact_create(user=alice, fields={"first_name": "Ada"}, items=_phones(count), addresses=_addresses(count))
    return len(queries)


def test_creating_a_contact_with_50_items_costs_the_queries_of_5(alice, django_assert_max_num_queries):
    five = _create_queries(alice, 5)
    with django_assert_max_num_queries(five):
        contact_create(user=alice, fields={"first_name": "Bo"}, items=_phones(50), addresses=_addresses(50))
    assert ContactItem.objects.filter(contact__first_name="Bo").count() == 50


def test_updating_50_items_and_addresses_costs_the_queries_of_5(alice):
    """Half the items are changed, the other half dropped, as many added; every address changed."""
    counts = []
    for size in (6, 50):
        contact = contact_create(
            user=alice, fields={"first_name": "Ada"}, items=_phones(size), addresses=_addresses(size)
        )
        kept = list(contact.items.all())[: size // 2]
        items = [{"id": item.pk, "value": f"+44 20 7946 {index:04d}"} for index, item in enumerate(kept)]
        addresses = [{"id": address.pk, "city": "Bergen"} for address in contact.addresses.all()]
        with CaptureQueriesContext(connection) as queries:
            contact_update(contact=contact, user=alice, items=items + _phones(size), addresses=addresses)
        counts.append(len(queries))
        assert contact.items.count() == size + size // 2
        assert set(contact.addresses.values_list("city", flat=True)) == {"Bergen"}
        assert contact.items.filter(value="+44 20 7946 0000").get().normalized == "+442079460000"
    assert counts[1] == counts[0]


def test_the_edit_form_carries_the_contact_version(make_contact, alice_client):
    contact = make_contact(first_name="Ada")
    page = alice_client.get(reverse("contacts:contact-update", args=[contact.pk])).content.decode()
    assert f'name="version" value="{escape(contact_version(contact))}"' in page


def test_a_stale_edit_is_refused_and_says_what_changed_meanwhile(make_contact, alice, alice_client, contact_form_data):
    contact = make_contact(first_name="Ada", job_title="Analyst")
    opened = contact_version(contact)
    contact_update(contact=Contact.objects.get(pk=contact.pk), user=alice, fields={"job_title": "Countess"})
    url = reverse("contacts:contact-update", args=[contact.pk])
    data = contact_form_data(first_name="Ada", job_title="Analyst", background="Wrote the first program.")
    response = alice_client.post(url, data | {"version": opened})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this contact after you opened it." in page
    assert "<li>Job title: Countess</li>" in page
    contact.refresh_from_db()
    assert (contact.job_title, contact.background) == ("Countess", "")
    current = contact_version(contact)
    assert f'name="version" value="{escape(current)}"' in page
    response = alice_client.post(url, data | {"version": current})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.job_title, contact.background) == ("Analyst", "Wrote the first program.")


def test_an_edit_at_the_current_version_saves(make_contact, alice_client, contact_form_data):
    contact = make_contact(first_name="Ada")
    data = contact_form_data(first_name="Augusta") | {"version": contact_version(contact)}
    assert alice_client.post(reverse("contacts:contact-update", args=[contact.pk]), data).status_code == 302
    contact.refresh_from_db()
    assert contact.first_name == "Augusta"


def test_short_phones_and_a_website_without_scheme_are_saved_and_linked(alice_client, contact_form_data):
    items = [{"kind": "tel", "value": "411"}, {"kind": "url", "value": "ivanov.com"}]
    response = alice_client.post(reverse("contacts:contact-create"), contact_form_data(first_name="Ivan", items=items))
    assert response.status_code == 302
    contact = Contact.objects.get(first_name="Ivan")
    assert [item.value for item in contact.items.all()] == ["411", "ivanov.com"]
    page = alice_client.get(contact.get_absolute_url()).content.decode()
    assert 'href="https://ivanov.com"' in page
    assert 'href="tel:411"' in page


def test_a_contact_with_more_items_than_the_cap_opens_and_saves_in_the_editor(make_contact, alice_client):
    """A contact an API gave 60 phones keeps them all when a person edits its name in the UI."""
    contact = make_contact(first_name="Ada", items=_phones(MAX_ITEMS + 10))
    page = alice_client.get(reverse("contacts:contact-update", args=[contact.pk]))
    editor = page.context["editor"]
    assert len(editor.items.forms) == MAX_ITEMS + 10

    data = {"first_name": "Augusta", "visibility": contact.visibility, "version": contact_version(contact)}
    for prefix, formset in (("items", editor.items), ("addresses", editor.addresses)):
        data |= {f"{prefix}-TOTAL_FORMS": len(formset.forms), f"{prefix}-INITIAL_FORMS": len(formset.forms)}
        for index, form in enumerate(formset.forms):
            data |= {f"{prefix}-{index}-{name}": value for name, value in form.initial.items() if value is not None}
    response = alice_client.post(reverse("contacts:contact-update", args=[contact.pk]), data)

    assert response.status_code == 302, response.context["editor"].items.non_form_errors()
    contact.refresh_from_db()
    assert contact.first_name == "Augusta"
    assert contact.items.count() == MAX_ITEMS + 10


def test_a_contact_over_the_cap_still_cannot_grow_past_its_own_count(make_contact, alice_client, contact_form_data):
    contact = make_contact(first_name="Ada", items=_phones(MAX_ITEMS + 2))
    data = contact_form_data(first_name="Ada", items=_phones(MAX_ITEMS + 3))
    response = alice_client.post(reverse("contacts:contact-update", args=[contact.pk]), data)
    assert response.status_code == 200
    assert f"Please submit at most {MAX_ITEMS + 2} forms." in response.content.decode()
    assert contact.items.count() == MAX_ITEMS + 2
