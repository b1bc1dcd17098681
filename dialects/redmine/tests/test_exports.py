"""Exports: vCard (written by vobject) and CSV, over the same filters as the list."""

from __future__ import annotations

import pytest
import vobject
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_contacts_vcf_is_a_vcard_stream_of_the_filtered_list(api, apple, steve):
    response = api.get("/redmine/contacts.vcf?is_company=1")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    cards = list(vobject.readComponents(response.getvalue().decode()))
    assert [card.fn.value for card in cards] == ["Apple Inc."]
    assert cards[0].tel.value == "+1 003 322 43 23"


def test_one_contact_as_vcard(api, steve):
    card = vobject.readOne(api.get(f"/redmine/contacts/{steve.pk}.vcf").getvalue().decode())
    assert (card.n.value.given, card.n.value.family, card.org.value) == ("Steve", "Jobs", ["Apple Inc."])


def test_contacts_csv_takes_the_list_filters(api, apple, steve):
    response = api.get("/redmine/contacts.csv?search=steve")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = response.getvalue().decode().splitlines()
    assert rows[0].startswith("ID,Kind,First name") and len(rows) == 2 and ",Steve," in rows[1]


def test_exports_open_in_a_signed_in_browser(client, alice, apple):
    client.force_login(alice)
    assert client.get("/redmine/contacts.csv").status_code == 200
    assert client.get("/redmine/projects/support/contacts.vcf").status_code == 200


def test_exports_need_credentials(db):
    assert APIClient().get("/redmine/contacts.csv").status_code == 401
