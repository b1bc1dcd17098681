"""LOOKUP by each key, and the one visibility rule on every read of the dialect."""

from __future__ import annotations

import json

import pytest

from contacts.services import contact_create
from dialects.incoplax.fields import group_id
from dialects.incoplax.tests.conftest import BASE, slotted

pytestmark = pytest.mark.django_db


def lookup(api, key, path="contacts"):
    return api.generic("LOOKUP", f"{BASE}/{path}", json.dumps(key), content_type="application/json")


@pytest.mark.parametrize(
    "key",
    [
        "ae425147-016c-d818-82d0-50e54938780c",
        "AE425147-016C-D818-82D0-50E54938780C",
        "autokey",
        "autokey as text",
        "+1 202 555 0111",
        "+12025550111",
        "(202) 555-0111",
    ],
)
def test_lookup_finds_a_contact_by_id_autokey_or_number(api, john, key):
    key = {"autokey": john.pk, "autokey as text": str(john.pk)}.get(key, key)
    response = lookup(api, key)
    assert response.status_code == 200 and response.json() == [str(john.uuid)]


def test_lookup_answers_every_match(api, alice, john):
    other = slotted(alice, first_name="Second", last_name="Line", number="+1 202 555 0111")
    assert lookup(api, "+12025550111").json() == [str(john.uuid), str(other.uuid)]


def test_lookup_of_a_number_in_another_slot_fails(api, john):
    response = lookup(api, "+1 202 555 0411")
    assert response.status_code == 404
    assert response.content == b'{"error_code":1404,"error_message":"Lookup failed"}'


def test_lookup_matches_a_phone_entered_without_a_slot(api, alice, project):
    contact = contact_create(
        user=alice, fields={"last_name": "Ui"}, items=[{"kind": "tel", "value": "+1 202 555 0177"}], projects=[project]
    )
    assert lookup(api, "+1 202 555 0177").json() == [str(contact.uuid)]


@pytest.mark.parametrize("body", ["null", "true", "[1]", '{"key":1}', '""', "1.5"])
def test_lookup_wants_one_string_or_integer(api, john, body):
    response = api.generic("LOOKUP", f"{BASE}/contacts", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error_code"] == 1400


def test_lookup_without_credentials_is_401(client_for, john):
    assert lookup(client_for(None), 1).status_code == 401


def test_lookup_is_not_a_verb_of_a_single_contact(api, john):
    response = api.generic("LOOKUP", f"{BASE}/contacts/{john.uuid}", '"1"', content_type="application/json")
    assert response.status_code == 405 and response.json()["error_code"] == 1405


@pytest.fixture
def hidden(bob, engineers, john):
    """A private contact of bob's, in the engineers group; alice may not see it."""
    return slotted(
        bob,
        first_name="Hidden",
        last_name="Person",
        number="+1 202 555 0199",
        visibility="private",
        groups=["Engineers"],
    )


def test_a_contact_the_user_may_not_see_is_404_on_every_verb(api, hidden):
    url = f"{BASE}/contacts/{hidden.uuid}"
    for response in (api.get(url), api.patch(url, {"department": "X"}, format="json"), api.delete(url)):
        assert response.status_code == 404 and response.json()["error_code"] == 1404
    hidden.refresh_from_db()
    assert hidden.department == ""


def test_an_unseen_contact_is_in_no_list_lookup_group_or_combined_row(api, hidden, john, engineers):
    keys = {str(hidden.uuid), hidden.pk}
    assert not keys & {row["id"] for row in api.get(f"{BASE}/contacts").json()}
    assert lookup(api, str(hidden.uuid)).status_code == 404
    assert lookup(api, hidden.pk).status_code == 404
    assert lookup(api, "+1 202 555 0199").status_code == 404
    detail = api.get(f"{BASE}/contactgroups/{group_id(engineers.pk)}").json()
    assert detail["opts"]["abonents"] == [john.pk] and detail["opts"]["abonentcount"] == 1
    assert api.get(f"{BASE}/contactgroups").json()[0]["opts"]["abonentcount"] == 1
    combined = api.get(f"{BASE}/combined_contacts").json()
    assert not keys & ({row["id"] for row in combined} | {row["key"] for row in combined})
    assert api.get(f"{BASE}/contacts", {"filter": json.dumps({"autokey": hidden.pk})}).json() == []


def test_a_group_change_keeps_the_members_the_user_cannot_see(api, hidden, john, engineers):
    url = f"{BASE}/contactgroups/{group_id(engineers.pk)}"
    assert api.patch(url, {"opts": {"abonents": []}}, format="json").status_code == 200
    assert list(hidden.tags.values_list("slug", flat=True)) == ["engineers"]
    assert list(john.tags.all()) == []


def test_an_unseen_contact_cannot_be_made_an_abonent(api, hidden, engineers):
    url = f"{BASE}/contactgroups/{group_id(engineers.pk)}"
    response = api.patch(url, {"opts": {"abonents": [hidden.pk]}}, format="json")
    assert response.status_code == 400 and "autokey" in response.json()["error_message"]


def test_the_owner_sees_the_private_contact(client_for, bob, hidden):
    assert lookup(client_for(bob), "+1 202 555 0199").json() == [str(hidden.uuid)]
