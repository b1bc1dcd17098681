"""Values too long for their column are refused in ONLYOFFICE's error format, never cut."""

from __future__ import annotations

import pytest

from contacts.models import Contact, ContactItem

pytestmark = pytest.mark.django_db


def test_a_person_name_longer_than_its_column_is_a_400(api, project):
    before = Contact.objects.count()
    response = api("POST", "crm/contact/person", {"firstName": "x" * 256, "lastName": "Smith"})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert Contact.objects.count() == before


def test_contact_info_longer_than_an_items_column_is_a_400_not_cut(api, make_contact):
    ada = make_contact(visibility="public")
    response = api("POST", f"crm/contact/{ada.pk}/data", {"infoType": 2, "data": "https://example.com/" + "x" * 300})
    assert response.status_code == 400, response.content
    assert "255" in response.json()["error"]["message"]
    assert not ContactItem.objects.filter(contact=ada).exists()
