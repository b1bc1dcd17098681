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


# Without JavaScript: the editor's own post, with a confirmation step.

CREATE_PERSON = reverse("contacts:contact-create")


def test_without_javascript_an_unknown_name_offers_to_create_the_company_and_creates_nothing_yet(
    alice_client, contact_form_data
):
    response = alice_client.post(CREATE_PERSON, contact_form_data(first_name="Grace", company_search="Initech"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No company you can see is called Initech" in page
    assert '<button type="submit" class="btn-small" name="create_company" value="Initech">' in page
    assert "Create company ‘Initech’ and save" in page
    assert not Contact.objects.exists()


def test_without_javascript_confirming_creates_the_company_with_the_person(alice_client, alice, contact_form_data):
    data = contact_form_data(first_name="Grace", company_search=" Initech ", create_company="Initech")
    response = alice_client.post(CREATE_PERSON, data)
    assert response.status_code == 302
    grace = Contact.objects.get(first_name="Grace")
    assert grace.company.name == "Initech" and grace.company.is_company and grace.company.author == alice
    assert Contact.objects.filter(is_company=True).count() == 1


def test_a_confirmation_for_another_name_than_the_one_typed_creates_nothing(alice_client, contact_form_data):
    data = contact_form_data(first_name="Grace", company_search="Initrode", create_company="Initech")
    response = alice_client.post(CREATE_PERSON, data)
    assert response.status_code == 200
    assert 'name="create_company" value="Initrode"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_confirmed_company_is_not_created_when_the_person_is_refused(alice_client, contact_form_data):
    data = contact_form_data(
        first_name="Grace", company_search="Initech", create_company="Initech", birthday="1800-01-01"
    )
    response = alice_client.post(CREATE_PERSON, data)
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_a_confirmed_company_is_kept_through_the_duplicate_warning(alice_client, make_contact, contact_form_data):
    make_contact(first_name="Grace", last_name="Hopper", items=[{"kind": "email", "value": "g@example.com"}])
    data = contact_form_data(
        first_name="Grace",
        last_name="Hopper",
        company_search="Initech",
        create_company="Initech",
        items=[{"kind": "email", "value": "g@example.com"}],
    )
    page = alice_client.post(CREATE_PERSON, data).content.decode()
    assert "Save anyway" in page and '<input type="hidden" name="create_company" value="Initech">' in page
    assert not Contact.objects.filter(is_company=True).exists()
    response = alice_client.post(CREATE_PERSON, data | {"save_anyway": "1"})
    assert response.status_code == 302
    assert Contact.objects.get(first_name="Grace", company__name="Initech")


def test_a_known_name_with_a_confirmation_picks_the_existing_company(alice_client, make_contact, contact_form_data):
    acme = make_contact(is_company=True, name="Acme")
    data = contact_form_data(first_name="Grace", company_search="acme", create_company="acme")
    assert alice_client.post(CREATE_PERSON, data).status_code == 302
    assert Contact.objects.get(first_name="Grace").company == acme
    assert Contact.objects.filter(is_company=True).count() == 1
