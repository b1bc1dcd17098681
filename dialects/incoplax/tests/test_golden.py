"""The wire format, byte for byte: every route's answer and every error body, as golden files."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dialects.incoplax.fields import group_id
from dialects.incoplax.tests.conftest import BASE, JOHN_ID

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

NEW_ID = "7c0f5a52-3f1e-4f6b-9d59-2b1f7d1e0a11"
NEW_CONTACT = {
    "id": NEW_ID,
    "displayname": "Eve Adams",
    "department": "Sales",
    "jobtitle": "manager",
    "number": "+1 202 555 0150",
    "mobile": "+1 202 555 0151",
    "email": "eve@company.com",
    "opts": {"title": "Ms", "comment": "Met at the fair.", "groups": ["engineers"], "priority": 5},
}

# (golden file, method, path, body, user, masked): body None sends nothing; a str is sent as is.
Case = tuple[str, str, str, Any, str, bool]
CASES: list[Case] = [
    ("contact_list.json", "GET", "contacts", None, "alice", False),
    ("contact_list_page.json", "GET", "contacts?offset=1&limit=1", None, "alice", False),
    (
        "contact_list_mask_flat.json",
        "GET",
        "contacts?mask=id,number,opts.groups,ext.ct&flat=true",
        None,
        "alice",
        False,
    ),
    (
        "contact_list_filter_order.json",
        "GET",
        'contacts?filter={"department":"IT","opts.priority":[100,null]}&order=[{"autokey":"desc"}]',
        None,
        "alice",
        False,
    ),
    ("contact_detail.json", "GET", "contacts/{john}", None, "alice", False),
    ("contact_detail_mask.json", "GET", "contacts/{john}?mask=displayname,opts.priority", None, "alice", False),
    ("contact_create.json", "POST", "contacts", NEW_CONTACT, "alice", True),
    ("contact_patch.json", "PATCH", "contacts/{john}", {"mobile": "", "mobile2": "+1 202 555 0122"}, "alice", True),
    ("contact_lookup.json", "LOOKUP", "contacts", "+1 202 555 0111", "alice", False),
    ("contact_lookup_404.json", "LOOKUP", "contacts", "999", "alice", False),
    ("contact_404.json", "GET", "contacts/{john}", None, "outsider", False),
    ("group_list.json", "GET", "contactgroups", None, "alice", False),
    ("group_detail.json", "GET", "contactgroups/{group}", None, "alice", False),
    (
        "group_create.json",
        "POST",
        "contactgroups",
        {"code": "sales", "name": "Sales", "opts": {"abonents": [2]}},
        "alice",
        False,
    ),
    ("group_patch.json", "PATCH", "contactgroups/{group}", {"opts": {"abonents": [1, 2]}}, "alice", False),
    ("group_lookup.json", "LOOKUP", "contactgroups", "engineers", "alice", False),
    ("combined_contacts.json", "GET", "combined_contacts", None, "alice", False),
    ("error_400_bad_json.json", "POST", "contacts", '{"displayname": ', "alice", False),
    (
        "error_400_unknown_field.json",
        "POST",
        "contacts",
        {"displayname": "A", "number": "1", "fax": "2"},
        "alice",
        False,
    ),
    ("error_400_wrong_type.json", "PATCH", "contacts/{john}", {"opts": {"priority": "high"}}, "alice", False),
    ("error_400_bad_filter.json", "GET", "contacts?filter={nope", None, "alice", False),
    ("error_400_unknown_group.json", "PATCH", "contacts/{john}", {"opts": {"groups": ["nobody"]}}, "alice", False),
    ("error_401.json", "GET", "contacts", None, "anonymous", False),
    ("error_401_wrong_key.json", "GET", "contacts", None, "wrong-key", False),
    ("error_403.json", "DELETE", "contactgroups/{group}", None, "alice", False),
    (
        "error_409_duplicate_id.json",
        "POST",
        "contacts",
        {"id": str(JOHN_ID), "displayname": "X Y", "number": "+1 202 555 0160"},
        "alice",
        False,
    ),
    ("error_409_duplicate_code.json", "POST", "contactgroups", {"code": "engineers", "name": "Other"}, "alice", False),
    ("error_413.json", "POST", "contacts", {"displayname": "x" * 3_000_000}, "alice", False),
    ("error_415.json", "POST", "contacts", "<contact><displayname>X</displayname></contact>", "alice", False),
]


@pytest.mark.parametrize(("name", "method", "path", "body", "user", "masked"), CASES, ids=[c[0] for c in CASES])
def test_answer_matches_the_golden_file(
    name, method, path, body, user, masked, request, client_for, john, adam, engineers, golden
):
    users = {"alice": "alice", "outsider": "outsider"}
    if user in users:
        client = client_for(request.getfixturevalue(users[user]))
    else:
        client = client_for(None)
        if user == "wrong-key":
            client.credentials(HTTP_AUTHORIZATION="Bearer not-a-key")
    if name == "contact_404.json":
        john.visibility = "private"
        john.save()
    url = f"{BASE}/" + path.replace("{john}", str(john.uuid)).replace("{group}", group_id(engineers.pk))
    content_type = "application/xml" if name == "error_415.json" else "application/json"
    data = None if body is None else body if isinstance(body, str) and body.startswith(("{", "<")) else json.dumps(body)
    response = client.generic(method, url, data or "", content_type=content_type)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    golden(name, response.content, mask=masked)
    expected = json.loads((response.content or b"null").decode())
    if name.startswith("error_") or name.endswith("_404.json"):
        assert expected["error_code"] == 1000 + response.status_code
    else:
        assert response.status_code == 200


def test_the_golden_list_has_the_seeds_short_field_set_and_the_detail_the_whole_entity():
    from dialects.incoplax.tests.conftest import GOLDEN

    listed = json.loads((GOLDEN / "contact_list.json").read_text())[0]
    detail = json.loads((GOLDEN / "contact_detail.json").read_text())
    assert list(listed) == ["id", "autokey", "displayname", "department", "jobtitle", "number", "email", "opts", "ext"]
    assert list(listed["opts"]) == ["groups", "priority"]
    assert list(detail)[5:18] == [
        "number",
        "numlocal",
        "numpublic",
        "mobile",
        "mobile2",
        "mobile3",
        "roomnum",
        "roomnum2",
        "roomnum3",
        "email",
        "email2",
        "email3",
        "photo",
    ]
    assert list(detail["opts"]) == ["title", "comment", "groups", "priority"]
