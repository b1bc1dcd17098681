"""Whatever a client sends, the answer is a 2xx or a 4xx in the envelope, never a 500."""

from __future__ import annotations

import pytest

from dialects.onlyoffice.tests.test_golden import CASES

pytestmark = pytest.mark.django_db

HUGE = 10**30
GARBAGE = [
    {},
    {"x": 1},
    None,
    [1, 2],
    "text",
    HUGE,
    {"firstName": {"a": 1}, "lastName": ["x"], "companyId": "abc", "shareType": 9, "managerList": "nope"},
    {"firstName": "A", "lastName": "B", "companyId": HUGE, "personList": [HUGE], "customFieldList": [{"key": HUGE}]},
    {"contactid": [HUGE], "contactids": ["x"], "entityid": [None], "tagName": {"a": 1}, "contactStatusid": -5},
    {"infoType": HUGE, "data": {"street": 1}, "category": [], "isPrimary": "maybe"},
    {"infoType": 7, "data": '{"country": 5, "street": null}'},
    {"infoType": 7, "data": "[1, 2]"},
    {"label": "x" * 1000, "fieldType": -1, "mask": "[1, 2]", "position": HUGE},
    {"label": "S", "fieldType": 2, "mask": '{"a": 1}'},
    {"title": "", "sortOrder": HUGE, "color": "#" + "f" * 50},
    {"fieldValue": {"a": 1}},
    {"userName": None, "password": ["x"]},
    {"firstName": "A\x00", "lastName": "B", "tagName": "x\x00", "data": "\x00", "title": "\x00"},
    {"fromcontactid": HUGE, "tocontactid": "x", "fieldids": [HUGE, "x"], "photo": "face.png", "photourl": None},
    {"fromcontactid": 0, "tocontactid": -1, "fieldids": "[1, ", "companyName": [{"a": 1}]},
    {"data": [{"key": None, "value": ["x"]}], "companyName": ["x" * 300]},
    {"data": '[{"key": "A"}]', "companyName": "[]"},
    {"data": [{"key": "A", "value": "B"}] * 101, "companyName": ["A"] * 101},
]
ROUTES = sorted({(method, path) for _, method, path, _, who in CASES if who and method != "GET"})
QUERIES = [
    "startIndex=99999999999999999999&count=-1",
    "count=abc&sortBy=&sortOrder=sideways",
    "contactStage=99999999999999999999&contactType=-9",
    'tags=["unclosed&fromDate=2024-13-45&toDate=0',
    "contactListView=99&responsibleid=00000000-0000-0000-0000-ffffffffffff&isShared=perhaps",
    "filterValue=%00%ff&tags[]=&tags[]=%2C",
]


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_garbage_bodies_get_a_4xx_envelope(method, path, api, world, admin_user):
    as_admin = api.as_user(admin_user)
    for body in GARBAGE:
        response = as_admin(method, path.format(**world), body)
        assert response.status_code < 500, (body, response.content)
        if response.status_code >= 400:
            assert b"<status>1</status>" in response.content if ".xml" in path else response.json()["status"] == 1


@pytest.mark.parametrize("query", QUERIES)
def test_garbage_queries_get_a_4xx_envelope(query, api, world):
    for path in ("crm/contact/filter", "crm/contact/project/{project}"):
        response = api("GET", f"{path.format(**world)}?{query}")
        assert response.status_code < 500, response.content
        assert response.json()["status"] == (1 if response.status_code >= 400 else 0)
    response = api("DELETE", f"crm/contact/filter?{query}")
    assert response.status_code < 500, response.content


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("crm/contact/99999999999999999999999", 404),
        ("crm/contact/99999999999999999999999/data/-99999999999999999999999", 404),
        ("crm/contact/type/99999999999999999999", 404),
        ("crm/contact/project/99999999999999999999", 404),
        # An info type is an enum value, not an id: out of range is a bad value.
        ("crm/contact/data/99999999999999999999/category", 400),
        ("crm/contact/99999999999999999999999/data/Email", 404),
    ],
)
def test_huge_ids_in_the_path_are_4xx(path, status, api, world):
    response = api("GET", path)
    assert response.status_code == status
    assert response.json()["status"] == 1


def test_a_photo_upload_that_is_not_multipart_is_400(api, world):
    response = api.client.put(
        f"/api/2.0/crm/contact/{world['person']}/changephoto",
        b"\x89PNG garbage",
        content_type="image/png",
        HTTP_AUTHORIZATION=api.token,
    )
    assert 400 <= response.status_code < 500 and response.json()["status"] == 1


def test_a_token_with_a_null_character_is_401(api):
    assert api("GET", "crm/contact/filter", token="abc\x00def").status_code == 401
