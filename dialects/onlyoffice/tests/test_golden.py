"""Every route's success and error reply, against golden files (JSON, and XML for the reads).

Ids, user GUIDs, timestamps and tokens are replaced by placeholders (conftest.normalise); the
functional tests check those values. `UPDATE_GOLDEN=1` rewrites the files after a deliberate
change, to be reviewed in the diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import resolve

from dialects.onlyoffice.tests.conftest import assert_golden

pytestmark = pytest.mark.django_db

W = dict[str, Any]
Case = tuple[str, str, str, Callable[[W], Any] | None, str]

ADDRESS = json.dumps({"street": "Brivibas 1", "city": "Riga", "state": "", "zip": "LV-1010", "country": "Latvia"})

# (golden file, method, path with {world} keys, body from the world, user)
CASES: list[Case] = [
    (
        "authentication.json",
        "POST",
        "authentication",
        lambda w: {"userName": "alice", "password": "secret-pass-123"},
        "",
    ),
    (
        "authentication.xml",
        "POST",
        "authentication.xml",
        lambda w: {"userName": "alice", "password": "secret-pass-123"},
        "",
    ),
    ("authentication_401.json", "POST", "authentication", lambda w: {"userName": "alice", "password": "wrong"}, ""),
    ("authentication_400.json", "POST", "authentication", lambda w: {"userName": "alice"}, ""),
    ("unauthenticated_401.json", "GET", "crm/contact/filter", None, ""),
    ("unknown_route_404.json", "GET", "crm/opportunity/filter", None, "alice"),
    ("contact_project_list.json", "GET", "crm/contact/project/{project}", None, "alice"),
    ("contact_project_list.xml", "GET", "crm/contact/project/{project}.xml", None, "alice"),
    ("contact_project_list_404.json", "GET", "crm/contact/project/999999", None, "alice"),
    ("contact_project_list_404.xml", "GET", "crm/contact/project/999999.xml", None, "alice"),
    ("contact_detail.json", "GET", "crm/contact/{person}", None, "alice"),
    ("contact_detail.xml", "GET", "crm/contact/{person}.xml", None, "alice"),
    ("company_detail.json", "GET", "crm/contact/{company}", None, "alice"),
    ("company_detail.xml", "GET", "crm/contact/{company}.xml", None, "alice"),
    ("contact_detail_404.json", "GET", "crm/contact/{person}", None, "outsider"),
    ("contact_filter.json", "GET", "crm/contact/filter?filterValue=Bachir&count=1", None, "alice"),
    ("contact_filter.xml", "GET", "crm/contact/filter.xml?filterValue=Bachir&count=1", None, "alice"),
    (
        "contact_bycontactinfo.json",
        "GET",
        "crm/contact/bycontactinfo?infoType=1&data=support@onlyoffice.com",
        None,
        "alice",
    ),
    ("contact_bycontactinfo_400.json", "GET", "crm/contact/bycontactinfo?infoType=Fax", None, "alice"),
    ("contact_filter_400.json", "GET", "crm/contact/filter?startIndex=-1", None, "alice"),
    (
        "person_create.json",
        "POST",
        "crm/contact/person",
        lambda w: {
            "firstName": "Mike",
            "lastName": "Zanyatski",
            "jobTitle": "Manager",
            "companyId": w["company"],
            "about": "Met online",
            "shareType": 0,
            "managerList": [w["bob_guid"]],
            "customFieldList": [{"key": w["license"], "value": "Basic"}, {"key": w["birthdate"], "value": ""}],
        },
        "alice",
    ),
    (
        "person_create.xml",
        "POST",
        "crm/contact/person.xml",
        lambda w: {"firstName": "Mike", "lastName": "Zanyatski", "companyId": w["company"], "shareType": 1},
        "alice",
    ),
    ("person_create_400.xml", "POST", "crm/contact/person.xml", lambda w: {"lastName": "Zanyatski"}, "alice"),
    ("person_create_400.json", "POST", "crm/contact/person", lambda w: {"firstName": "Mike"}, "alice"),
    (
        "person_update.json",
        "PUT",
        "crm/contact/person/{person}",
        lambda w: {"firstName": "Tadjeddine", "lastName": "Bachir-Smith", "shareType": 1},
        "alice",
    ),
    (
        "person_update_404.json",
        "PUT",
        "crm/contact/person/{company}",
        lambda w: {"firstName": "A", "lastName": "B"},
        "alice",
    ),
    (
        "company_create.json",
        "POST",
        "crm/contact/company",
        lambda w: {"companyName": "Food and Culture Project", "personList": [w["person"]], "shareType": 1},
        "alice",
    ),
    ("company_create_400.json", "POST", "crm/contact/company", lambda w: {"about": "no name"}, "alice"),
    ("company_persons.json", "GET", "crm/contact/company/{company}/person", None, "alice"),
    ("company_persons_404.json", "GET", "crm/contact/company/{person}/person", None, "alice"),
    (
        "company_person_add.json",
        "POST",
        "crm/contact/company/{company}/person",
        lambda w: {"personid": w["person"]},
        "alice",
    ),
    ("company_person_add_400.json", "POST", "crm/contact/company/{company}/person", lambda w: {}, "alice"),
    (
        "company_person_remove.json",
        "DELETE",
        "crm/contact/company/{company}/person",
        lambda w: {"personid": w["person"]},
        "alice",
    ),
    ("company_update.json", "PUT", "crm/contact/company/{company}", lambda w: {"companyName": "Ascensio"}, "alice"),
    (
        "contact_merge.json",
        "PUT",
        "crm/contact/merge",
        lambda w: {"fromcontactid": w["twin"], "tocontactid": w["person"]},
        "alice",
    ),
    (
        "contact_merge_400.json",
        "PUT",
        "crm/contact/merge",
        lambda w: {"fromcontactid": w["person"], "tocontactid": w["company"]},
        "alice",
    ),
    (
        "contact_filter_taglist.json",
        "POST",
        "crm/contact/filter/taglist",
        lambda w: {"filterValue": "Bachir", "tagName": "Fair"},
        "alice",
    ),
    ("contact_filter_taglist_400.json", "POST", "crm/contact/filter/taglist", lambda w: {"tags": ["Tag1"]}, "alice"),
    (
        "company_status_set.json",
        "PUT",
        "crm/contact/company/{company}/status",
        lambda w: {"contactStatusid": w["hot"]},
        "alice",
    ),
    (
        "person_status_set_404.json",
        "PUT",
        "crm/contact/person/{company}/status",
        lambda w: {"contactStatusid": w["hot"]},
        "alice",
    ),
    (
        "contact_filter_access.json",
        "PUT",
        "crm/contact/filter/access",
        lambda w: {"filterValue": "Bachir", "isPrivate": True, "managerList": [w["bob_guid"]]},
        "alice",
    ),
    (
        "contact_filter_access_400.json",
        "PUT",
        "crm/contact/filter/access",
        lambda w: {"filterValue": "Bachir", "managerList": ["nobody"]},
        "alice",
    ),
    ("contact_filter_delete.json", "DELETE", "crm/contact/filter?filterValue=Bachir", None, "alice"),
    ("contact_filter_delete_403.json", "DELETE", "crm/contact/filter?filterValue=Bachir", None, "bob"),
    (
        "person_quick.json",
        "POST",
        "crm/contact/person/quick",
        lambda w: {"data": [{"key": "Mike", "value": "Zanyatski"}, {"key": "Anna", "value": "Lee"}]},
        "alice",
    ),
    ("person_quick_400.json", "POST", "crm/contact/person/quick", lambda w: {"data": [{"key": "Mike"}]}, "alice"),
    (
        "company_quick.json",
        "POST",
        "crm/contact/company/quick",
        lambda w: {"companyName": ["Food and Culture Project"]},
        "alice",
    ),
    ("company_quick_400.json", "POST", "crm/contact/company/quick", lambda w: {"companyName": []}, "alice"),
    (
        "contact_changephoto_400.json",
        "PUT",
        "crm/contact/{person}/changephoto",
        lambda w: {"photo": "face.png"},
        "alice",
    ),
    (
        "contact_changephotobyurl_400.json",
        "PUT",
        "crm/contact/{person}/changephotobyurl",
        lambda w: {"photourl": "https://example.com/face.png"},
        "alice",
    ),
    ("contact_delete.json", "DELETE", "crm/contact/{person}", None, "alice"),
    ("contact_delete_403.json", "DELETE", "crm/contact/{person}", None, "bob"),
    ("contact_bulk_delete.json", "PUT", "crm/contact", lambda w: {"contactids": [w["person"], w["company"]]}, "alice"),
    ("contact_bulk_delete_404.json", "PUT", "crm/contact", lambda w: {"contactids": [999999]}, "alice"),
    ("contact_project_link.json", "POST", "crm/contact/{person}/project/{sales}", None, "alice"),
    ("contact_project_link_404.json", "POST", "crm/contact/{person}/project/999999", None, "alice"),
    ("contact_project_link_403.json", "POST", "crm/contact/{company}/project/{sales}", None, "bob"),
    ("contact_project_unlink.json", "DELETE", "crm/contact/{person}/project/{project}", None, "alice"),
    (
        "project_link_many.json",
        "POST",
        "crm/contact/project/{sales}",
        lambda w: {"contactid": [w["person"], w["company"]]},
        "alice",
    ),
    ("project_link_many_400.json", "POST", "crm/contact/project/{sales}", lambda w: {}, "alice"),
    (
        "project_unlink_many.json",
        "DELETE",
        "crm/contact/project/{project}",
        lambda w: {"contactid": [w["company"]]},
        "alice",
    ),
    (
        "contact_access.json",
        "PUT",
        "crm/contact/{person}/access",
        lambda w: {"isPrivate": True, "managerList": [w["bob_guid"]]},
        "alice",
    ),
    (
        "contact_access_many.json",
        "PUT",
        "crm/contact/access",
        lambda w: {"contactid": [w["person"], w["company"]], "shareType": 1},
        "alice",
    ),
    (
        "contact_access_many_404.json",
        "PUT",
        "crm/contact/access",
        lambda w: {"contactid": [999999], "shareType": 1},
        "alice",
    ),
    ("contact_access_400.json", "PUT", "crm/contact/{person}/access", lambda w: {"managerList": ["nobody"]}, "alice"),
    ("contact_status_set.json", "PUT", "crm/contact/{person}/status", lambda w: {"contactStatusid": w["hot"]}, "alice"),
    (
        "contact_status_set_404.json",
        "PUT",
        "crm/contact/{person}/status",
        lambda w: {"contactStatusid": 999999},
        "alice",
    ),
    ("contact_data_list.json", "GET", "crm/contact/{person}/data", None, "alice"),
    ("contact_data_list.xml", "GET", "crm/contact/{person}/data.xml", None, "alice"),
    ("contact_data_detail.json", "GET", "crm/contact/{person}/data/{phone}", None, "alice"),
    ("contact_data_detail_404.json", "GET", "crm/contact/{person}/data/999999", None, "alice"),
    (
        "contact_data_create.json",
        "POST",
        "crm/contact/{person}/data",
        lambda w: {"infoType": 0, "data": "+371 29 123 456", "category": "Mobile", "isPrimary": True},
        "alice",
    ),
    (
        "contact_data_create_address.json",
        "POST",
        "crm/contact/{person}/data",
        lambda w: {"infoType": "Address", "data": ADDRESS, "category": "Postal"},
        "alice",
    ),
    (
        "contact_data_create_400.json",
        "POST",
        "crm/contact/{person}/data",
        lambda w: {"infoType": 1, "data": "x@example.com", "category": "Mobile"},
        "alice",
    ),
    (
        "contact_data_update.json",
        "PUT",
        "crm/contact/{person}/data/{email}",
        lambda w: {"data": "info@onlyoffice.com", "category": "Work"},
        "alice",
    ),
    (
        "contact_data_update_400.json",
        "PUT",
        "crm/contact/{person}/data/{email}",
        lambda w: {"data": "not an email"},
        "alice",
    ),
    ("contact_data_delete.json", "DELETE", "crm/contact/{person}/data/{address}", None, "alice"),
    ("contact_data_by_type.json", "GET", "crm/contact/{person}/data/Email", None, "alice"),
    ("contact_data_by_type.xml", "GET", "crm/contact/{person}/data/Email.xml", None, "alice"),
    ("contact_data_by_type_404.json", "GET", "crm/contact/{person}/data/Fax", None, "alice"),
    ("info_types.json", "GET", "crm/contact/data/infoType", None, "alice"),
    ("info_types.xml", "GET", "crm/contact/data/infoType.xml", None, "alice"),
    ("info_categories.json", "GET", "crm/contact/data/Phone/category", None, "alice"),
    ("info_categories_400.json", "GET", "crm/contact/data/Fax/category", None, "alice"),
    ("contact_tags.json", "GET", "crm/contact/{person}/tag", None, "alice"),
    ("contact_tags.xml", "GET", "crm/contact/{person}/tag.xml", None, "alice"),
    ("contact_tag_add.json", "POST", "crm/contact/{person}/tag", lambda w: {"tagName": "VIP"}, "alice"),
    ("contact_tag_add.xml", "POST", "crm/contact/{person}/tag.xml", lambda w: {"tagName": "VIP"}, "alice"),
    ("contact_tag_add_400.json", "POST", "crm/contact/{person}/tag", lambda w: {"tagName": "a,b"}, "alice"),
    ("contact_tag_remove.json", "DELETE", "crm/contact/{person}/tag", lambda w: {"tagName": "Tag1"}, "alice"),
    ("contact_tag_remove_404.json", "DELETE", "crm/contact/{person}/tag", lambda w: {"tagName": "Nope"}, "alice"),
    ("company_tag_group.json", "POST", "crm/company/{company}/tag/group", lambda w: {"tagName": "Fair"}, "alice"),
    ("company_tag_group_404.json", "POST", "crm/company/{person}/tag/group", lambda w: {"tagName": "Fair"}, "alice"),
    (
        "person_tag_group_remove.json",
        "DELETE",
        "crm/person/{person}/tag/group",
        lambda w: {"tagName": "Tag1"},
        "alice",
    ),
    (
        "person_tag_group_remove_404.json",
        "DELETE",
        "crm/person/{person}/tag/group",
        lambda w: {"tagName": "Tag1"},
        "outsider",
    ),
    ("tag_dictionary.json", "GET", "crm/contact/tag", None, "alice"),
    ("tag_dictionary.xml", "GET", "crm/contact/tag.xml", None, "alice"),
    ("tag_create.json", "POST", "crm/contact/tag", lambda w: {"tagName": "Lead"}, "alice"),
    ("tag_delete.json", "DELETE", "crm/contact/tag", lambda w: {"tagName": "Tag1"}, "admin"),
    ("tag_delete_403.json", "DELETE", "crm/contact/tag", lambda w: {"tagName": "Tag1"}, "alice"),
    ("tag_unused_delete.json", "DELETE", "crm/contact/tag/unused", None, "admin"),
    (
        "taglist.json",
        "POST",
        "crm/contact/taglist",
        lambda w: {"entityid": [w["person"], w["company"]], "tagName": "Fair"},
        "alice",
    ),
    ("taglist_404.json", "POST", "crm/contact/taglist", lambda w: {"entityid": [999999], "tagName": "Fair"}, "alice"),
    ("customfield_definitions.json", "GET", "crm/contact/customfield/definitions", None, "alice"),
    ("customfield_definitions.xml", "GET", "crm/contact/customfield/definitions.xml", None, "alice"),
    (
        "customfield_create.json",
        "POST",
        "crm/person/customfield",
        lambda w: {"label": "Size", "fieldType": 2, "position": 3, "mask": '["S","M","L"]'},
        "admin",
    ),
    (
        "customfield_create_400.json",
        "POST",
        "crm/person/customfield",
        lambda w: {"label": "Size", "fieldType": 2},
        "admin",
    ),
    (
        "customfield_create_403.json",
        "POST",
        "crm/person/customfield",
        lambda w: {"label": "Size", "fieldType": 0},
        "alice",
    ),
    (
        "customfield_update.json",
        "PUT",
        "crm/contact/customfield/{birthdate}",
        lambda w: {"label": "Birthday", "fieldType": 5, "position": 11},
        "admin",
    ),
    (
        "customfield_update_400.json",
        "PUT",
        "crm/contact/customfield/{birthdate}",
        lambda w: {"label": "Birthday", "fieldType": 0},
        "admin",
    ),
    (
        "customfield_reorder.json",
        "PUT",
        "crm/contact/customfield/reorder",
        lambda w: {"fieldids": [w["birthdate"], w["license"]]},
        "admin",
    ),
    (
        "customfield_reorder_403.json",
        "PUT",
        "crm/contact/customfield/reorder",
        lambda w: {"fieldids": [w["birthdate"], w["license"]]},
        "alice",
    ),
    ("customfield_delete.json", "DELETE", "crm/contact/customfield/{license}", None, "admin"),
    ("customfield_delete_404.json", "DELETE", "crm/company/customfield/{license}", None, "admin"),
    ("contact_customfields.json", "GET", "crm/person/{person}/customfield", None, "alice"),
    ("contact_customfields.xml", "GET", "crm/person/{person}/customfield.xml", None, "alice"),
    (
        "contact_customfield_set.json",
        "POST",
        "crm/person/{person}/customfield/{birthdate}",
        lambda w: {"fieldValue": "1991-06-02"},
        "alice",
    ),
    (
        "contact_customfield_set_400.json",
        "POST",
        "crm/person/{person}/customfield/{birthdate}",
        lambda w: {"fieldValue": "not a date"},
        "alice",
    ),
    ("contact_types.json", "GET", "crm/contact/type", None, "alice"),
    ("contact_types.xml", "GET", "crm/contact/type.xml", None, "alice"),
    ("contact_type_detail.json", "GET", "crm/contact/type/{client}", None, "alice"),
    ("contact_type_detail_404.json", "GET", "crm/contact/type/999999", None, "alice"),
    (
        "contact_type_create.json",
        "POST",
        "crm/contact/type",
        lambda w: {"title": "Investor", "description": "Funds us", "color": "#00ff00", "sortOrder": 9},
        "admin",
    ),
    ("contact_type_create_403.json", "POST", "crm/contact/type", lambda w: {"title": "Investor"}, "alice"),
    ("contact_type_create_400.json", "POST", "crm/contact/type", lambda w: {"description": "no title"}, "admin"),
    (
        "contact_type_update.json",
        "PUT",
        "crm/contact/type/{client}",
        lambda w: {"title": "Customer", "color": "#123456"},
        "admin",
    ),
    ("contact_type_delete.json", "DELETE", "crm/contact/type/{client}", None, "admin"),
    ("contact_statuses.json", "GET", "crm/contact/status", None, "alice"),
    ("contact_statuses.xml", "GET", "crm/contact/status.xml", None, "alice"),
    (
        "contact_status_create.json",
        "POST",
        "crm/contact/status",
        lambda w: {"title": "Frozen", "color": "#0000ff"},
        "admin",
    ),
    ("contact_status_update.json", "PUT", "crm/contact/status/{hot}", lambda w: {"title": "Burning"}, "admin"),
    ("contact_status_delete.json", "DELETE", "crm/contact/status/{hot}", None, "admin"),
    ("contact_status_delete_403.json", "DELETE", "crm/contact/status/{hot}", None, "bob"),
]


def xml_twin(case: Case) -> Case:
    """The same request with the .xml suffix, compared with golden/<name>.xml."""
    golden, method, path, body, who = case
    route, _, query = path.partition("?")
    return golden.removesuffix(".json") + ".xml", method, f"{route}.xml" + (f"?{query}" if query else ""), body, who


NAMES = {c[0] for c in CASES}
ALL_CASES = CASES + [xml_twin(c) for c in CASES if c[0].endswith(".json") and xml_twin(c)[0] not in NAMES]


@pytest.mark.parametrize(("golden", "method", "path", "body", "who"), ALL_CASES, ids=[c[0] for c in ALL_CASES])
def test_route_answers_as_its_golden_file(
    golden, method, path, body, who, api, world, request, alice, bob, outsider, admin_user
):
    users = {"alice": alice, "bob": bob, "outsider": outsider, "admin": admin_user}
    caller = api.as_user(users[who]) if who else api
    response = caller(method, path.format(**world), body(world) if body else None, token=None if not who else "")
    expected_status = int(golden.rsplit("_", 1)[-1].split(".")[0]) if golden.split(".")[0][-3:].isdigit() else None
    if expected_status is None:
        expected_status = 201 if method == "POST" else 200
    assert response.status_code == expected_status, response.content
    assert_golden(golden, response)


XML_READS = [
    "crm/contact/project/{project}",
    "crm/contact/{person}",
    "crm/contact/{company}",
    "crm/contact/filter",
    "crm/contact/{person}/data",
    "crm/contact/{person}/data/Email",
    "crm/contact/tag",
    "crm/contact/customfield/definitions",
    "crm/person/{person}/customfield",
    "crm/contact/type",
]


def without_what_xml_cannot_say(data: Any) -> Any:
    """XML drops empty lists and writes null text like "" (docs/onlyoffice.md, "JSON and XML")."""
    if isinstance(data, dict):
        return {k: without_what_xml_cannot_say(v) for k, v in data.items() if v != []}
    if isinstance(data, list):
        return [without_what_xml_cannot_say(v) for v in data]
    return data


@pytest.mark.parametrize("path", XML_READS)
def test_xml_reply_reads_back_as_the_json_reply(path, api, world):
    json_reply = api("GET", path.format(**world)).json()
    xml_response = api("GET", path.format(**world) + ".xml")
    shape = resolve(f"/api/2.0/{path.format(**world)}.xml").func.view_class.xml_shape
    parsed = shape.parse(xml_response.content)
    if isinstance(json_reply["response"], list) and len(json_reply["response"]) == 1 and "response" in parsed:
        assert isinstance(parsed["response"], list)
    assert parsed == without_what_xml_cannot_say(json_reply)
