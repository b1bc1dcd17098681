"""The company picker's create endpoint: a company from an unknown name, visible to its creator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from contacts.selectors import contact_get

pytestmark = pytest.mark.django_db
URL = reverse("contacts:company-create")


def test_an_unknown_name_creates_a_company_the_user_sees(client, outsider):
    client.force_login(outsider)
    response = client.post(URL, {"name": "  Acme  "})
    assert response.status_code == 201
    company = Contact.objects.get(is_company=True)
    assert response.json() == {"id": company.pk, "name": "Acme"}
    assert company.author == outsider
    assert contact_get(user=outsider, pk=company.pk) is not None


def test_a_known_name_answers_the_existing_company_in_any_case(alice_client, make_contact):
    acme = make_contact(is_company=True, name="Acme")
    response = alice_client.post(URL, {"name": "ACME"})
    assert response.json() == {"id": acme.pk, "name": "Acme"}
    assert Contact.objects.filter(is_company=True).count() == 1


def test_a_company_the_user_cannot_see_is_not_answered(client, outsider, make_contact):
    hidden = make_contact(is_company=True, name="Acme", visibility="private")
    client.force_login(outsider)
    response = client.post(URL, {"name": "Acme"})
    assert response.status_code == 201 and response.json()["id"] != hidden.pk


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, "a\x00b"])
def test_a_blank_or_too_long_name_is_a_400_and_creates_nothing(alice_client, name):
    response = alice_client.post(URL, {"name": name})
    assert response.status_code == 400
    assert "1 to 255 characters" in response.json()["error"]
    assert not Contact.objects.exists()


def test_only_a_signed_in_post_creates(alice_client):
    assert alice_client.get(URL).status_code == 405
    assert Client().post(URL, {"name": "Acme"}).status_code == 302
    assert not Contact.objects.exists()


def test_the_editors_picker_offers_creation_and_the_merge_picker_does_not(alice_client, make_contact):
    firm = make_contact(is_company=True, name="Acme")
    assert f'data-company-create="{URL}"' in alice_client.get(reverse("contacts:contact-create")).content.decode()
    assert "data-company-create" not in alice_client.get(reverse("firms:firm-detail", args=[firm.pk])).content.decode()
