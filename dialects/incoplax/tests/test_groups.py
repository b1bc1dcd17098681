"""Contact groups: tags seen as groups, kept in sync with the contacts' opts.groups both ways."""

from __future__ import annotations

import json

import pytest

from contacts.models import Tag, TaggedContact
from dialects.incoplax.fields import group_id
from dialects.incoplax.tests.conftest import BASE

pytestmark = pytest.mark.django_db


def group(api, tag):
    response = api.get(f"{BASE}/contactgroups/{group_id(tag.pk)}")
    assert response.status_code == 200
    return response.json()


def test_a_group_is_a_tag_code_is_its_slug_and_name_its_name(api, engineers):
    body = group(api, engineers)
    assert (body["code"], body["name"]) == (engineers.slug, engineers.name)


def test_create_makes_a_tag_and_a_code_when_none_is_given(api, john):
    response = api.post(f"{BASE}/contactgroups", {"name": "Support", "opts": {"abonents": [john.pk]}}, format="json")
    assert response.status_code == 200
    tag = Tag.objects.get(name="Support")
    assert response.json()["code"] == tag.slug and len(tag.slug) == 36
    assert response.json()["opts"]["abonents"] == [john.pk]
    assert "support" in {t.name.lower() for t in john.tags.all()}


def test_changing_a_contacts_groups_changes_the_groups_abonents(api, john, adam, engineers):
    api.patch(f"{BASE}/contacts/{adam.uuid}", {"opts": {"groups": ["engineers"]}}, format="json")
    body = group(api, engineers)
    assert body["opts"]["abonents"] == [john.pk, adam.pk] and body["opts"]["abonentcount"] == 2
    api.patch(f"{BASE}/contacts/{john.uuid}", {"opts": {"groups": []}}, format="json")
    assert group(api, engineers)["opts"]["abonents"] == [adam.pk]


def test_changing_a_groups_abonents_changes_the_contacts_groups(api, john, adam, engineers):
    response = api.patch(
        f"{BASE}/contactgroups/{group_id(engineers.pk)}", {"opts": {"abonents": [adam.pk]}}, format="json"
    )
    assert response.status_code == 200
    assert api.get(f"{BASE}/contacts/{adam.uuid}").json()["opts"]["groups"] == ["engineers"]
    assert api.get(f"{BASE}/contacts/{john.uuid}").json()["opts"]["groups"] == []


def test_deleting_a_contact_leaves_no_abonent_behind(api, john, engineers):
    api.delete(f"{BASE}/contacts/{john.uuid}")
    assert group(api, engineers)["opts"] == {
        "title": "",
        "comment": "",
        "priority": 1000,
        "abonents": [],
        "abonentcount": 0,
    }


def test_deleting_a_group_removes_it_from_its_contacts(client_for, admin_user, api, john, engineers):
    response = client_for(admin_user).delete(f"{BASE}/contactgroups/{group_id(engineers.pk)}")
    assert response.status_code == 204
    assert api.get(f"{BASE}/contacts/{john.uuid}").json()["opts"]["groups"] == []
    assert not TaggedContact.objects.exists()


def test_only_administrators_delete_and_only_staff_rename_groups(api, engineers):
    url = f"{BASE}/contactgroups/{group_id(engineers.pk)}"
    assert api.delete(url).status_code == 403
    assert api.patch(url, {"name": "Devs"}, format="json").status_code == 403
    assert api.patch(url, {"name": "Engineers", "code": "engineers"}, format="json").status_code == 200
    assert Tag.objects.get().name == "Engineers"


def test_staff_rename_a_group_and_change_its_code(client_for, admin_user, engineers):
    url = f"{BASE}/contactgroups/{group_id(engineers.pk)}"
    body = client_for(admin_user).patch(url, {"name": "Devs", "code": "devs"}, format="json").json()
    assert (body["name"], body["code"]) == ("Devs", "devs")


def test_a_duplicate_code_or_name_is_409_and_writes_nothing(api, engineers):
    for body in ({"code": "engineers", "name": "Other"}, {"code": "other", "name": "engineers"}):
        response = api.post(f"{BASE}/contactgroups", body, format="json")
        assert response.status_code == 409 and response.json()["error_code"] == 1409
    assert Tag.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"code": "a b", "name": "X"},
        {"code": "", "name": "X"},
        {"name": ""},
        {"name": "X", "shortname": "x"},
        {"name": "X", "opts": {"priority": 5}},
        {"name": "X", "opts": {"abonents": ["1"]}},
        {"name": "X", "opts": {"abonents": [999]}},
        {"name": "X", "id": "00000000-0000-4000-8000-000000000009"},
        {"name": 5},
    ],
)
def test_bad_group_bodies_are_400(api, john, body):
    response = api.post(f"{BASE}/contactgroups", body, format="json")
    assert response.status_code == 400 and response.json()["error_code"] == 1400
    assert list(Tag.objects.values_list("slug", flat=True)) == ["engineers"]


def test_groups_list_takes_filter_mask_order_and_paging(api, alice):
    from contacts.services import group_create

    for code in ("b", "a", "c"):
        group_create(user=alice, name=f"Group {code}", code=code)
    rows = api.get(f"{BASE}/contactgroups", {"order": '[{"code":"desc"}]', "mask": "code,opts.abonentcount"}).json()
    assert rows == [{"code": c, "opts": {"abonentcount": 0}} for c in "cba"]
    rows = api.get(f"{BASE}/contactgroups", {"filter": json.dumps({"code": ["a", "c"]}), "limit": 1, "offset": 1})
    assert [row["code"] for row in rows.json()] == ["c"]
    assert api.get(f"{BASE}/contactgroups", {"mask": "opts.abonents"}).status_code == 400


def test_lookup_finds_a_group_by_id_or_code(api, engineers):
    for key in ("engineers", group_id(engineers.pk)):
        response = api.generic("LOOKUP", f"{BASE}/contactgroups", json.dumps(key), content_type="application/json")
        assert response.json() == [group_id(engineers.pk)]
    response = api.generic("LOOKUP", f"{BASE}/contactgroups", '"nobody"', content_type="application/json")
    assert response.status_code == 404 and response.json() == {"error_code": 1404, "error_message": "Lookup failed"}


def test_combined_contacts_lists_groups_first_and_pages_across_both(api, john, adam, engineers):
    rows = api.get(f"{BASE}/combined_contacts").json()
    expected = [("contactgroup", "engineers"), ("contact", john.pk), ("contact", adam.pk)]
    assert [(r["type"], r["key"]) for r in rows] == expected
    rows = api.get(f"{BASE}/combined_contacts", {"offset": 1, "limit": 1}).json()
    assert [r["key"] for r in rows] == [john.pk]
    rows = api.get(f"{BASE}/combined_contacts", {"offset": 2}).json()
    assert [r["key"] for r in rows] == [adam.pk]


def test_combined_contacts_filters_on_id_key_name_and_number(api, john, adam, engineers):
    def keys(flt):
        return [r["key"] for r in api.get(f"{BASE}/combined_contacts", {"filter": json.dumps(flt)}).json()]

    assert keys({"key": "engineers"}) == ["engineers"]
    assert keys({"key": [adam.pk, "engineers"]}) == ["engineers", adam.pk]
    assert keys({"name": "John Smith"}) == [john.pk]
    assert keys({"number": "group#engineers"}) == ["engineers"]
    assert keys({"number": "+1 202 555 0112"}) == [adam.pk]
    assert keys({"id": str(john.uuid)}) == [john.pk]
    assert api.get(f"{BASE}/combined_contacts", {"filter": '{"type":"contact"}'}).status_code == 400
