"""The contact editor warns before saving a likely duplicate, and "Save anyway" saves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(alice: Any) -> Contact:
    return contact_create(user=alice, fields={"is_company": True, "name": "Acme"})


@pytest.fixture
def ada(alice: Any, acme: Contact) -> Contact:
    return contact_create(
        user=alice,
        fields={"first_name": "Ada", "last_name": "Lovelace", "company": acme},
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "+44 20 7946 0000"}],
    )


def post_new(client: Any, contact_form_data: Any, **fields: Any) -> Any:
    items = fields.pop("items", [])
    return client.post(reverse("contacts:contact-create"), contact_form_data(items=items, **fields))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"first_name": "Ann", "items": [{"kind": "email", "value": "ADA@example.com"}]}, "Same email"),
        ({"first_name": "Ann", "items": [{"kind": "tel", "value": "+44 (20) 7946-0000"}]}, "Same phone"),
        ({"first_name": "ada", "last_name": "lovelace", "company_search": "Acme"}, "Same name and company"),
    ],
)
def test_creating_a_likely_duplicate_shows_a_warning_and_saves_nothing(
    alice_client, contact_form_data, ada, fields, reason
):
    response = post_new(alice_client, contact_form_data, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This looks like a contact you already have" in page
    assert f'href="{ada.get_absolute_url()}"' in page and reason in page
    assert 'name="save_anyway"' in page
    assert Contact.objects.filter(is_company=False).count() == 1


def test_save_anyway_creates_the_contact(alice_client, contact_form_data, ada):
    fields = {"first_name": "Ann", "items": [{"kind": "email", "value": "ada@example.com"}], "save_anyway": "1"}
    response = post_new(alice_client, contact_form_data, **fields)
    assert response.status_code == 302
    assert Contact.objects.filter(first_name="Ann").exists()


def test_no_warning_for_a_match_the_user_cannot_see(client, contact_form_data, alice, outsider):
    contact_create(
        user=alice,
        fields={"first_name": "Ada", "visibility": "private"},
        items=[{"kind": "email", "value": "ada@example.com"}],
    )
    client.force_login(outsider)
    response = post_new(
        client, contact_form_data, first_name="Ann", items=[{"kind": "email", "value": "ada@example.com"}]
    )
    assert response.status_code == 302
    assert Contact.objects.filter(first_name="Ann").exists()


def test_editing_warns_only_about_values_the_contact_did_not_have(alice_client, contact_form_data, alice, ada):
    other = contact_create(user=alice, fields={"first_name": "Augusta", "last_name": "King"}, items=[])
    url = reverse("contacts:contact-update", args=[other.pk])
    response = alice_client.post(
        url,
        contact_form_data(
            first_name="Augusta", last_name="King", items=[{"kind": "email", "value": "ada@example.com"}]
        ),
    )
    assert response.status_code == 200 and "Same email" in response.content.decode()
    ada_url = reverse("contacts:contact-update", args=[ada.pk])
    own = [{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "+44 20 7946 0000"}]
    response = alice_client.post(
        ada_url,
        contact_form_data(
            first_name="Ada", last_name="Lovelace", company=ada.company_id, company_search="Acme", items=own
        ),
    )
    assert response.status_code == 302  # its own email, phone and name are no duplicate of itself


def test_a_company_of_the_same_name_is_a_likely_duplicate(alice_client, contact_form_data, acme):
    response = alice_client.post(reverse("contacts:contact-create") + "?kind=company", contact_form_data(name="ACME"))
    assert response.status_code == 200
    assert "Same name and company" in response.content.decode()
    assert Contact.objects.filter(is_company=True).count() == 1
