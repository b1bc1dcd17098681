"""The dialects' OpenAPI documents: valid OpenAPI 3, every route and method of each dialect's
URLs documented (a new route without documentation fails here), the golden replies valid
against the documented schemas, and the documents and their Swagger UI pages served."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern
from django.urls.resolvers import RegexPattern, RoutePattern
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from dialects.incoplax import urls as incoplax_urls
from dialects.incwo import urls as incwo_urls
from dialects.onlyoffice import inputs as onlyoffice_inputs
from dialects.onlyoffice import openapi as onlyoffice_openapi
from dialects.onlyoffice import urls as onlyoffice_urls
from dialects.redmine import urls as redmine_urls

DIALECTS = Path(__file__).resolve().parents[1]
# dialect → (its URL module, where the document is served, the path its routes are relative to)
MOUNTS: dict[str, tuple[ModuleType, str]] = {
    "redmine": (redmine_urls, "/redmine/"),
    "onlyoffice": (onlyoffice_urls, "/api/2.0/crm/"),
    "incwo": (incwo_urls, "/incwo/1/"),
    "incoplax": (incoplax_urls, "/rest/v1/addressbook/"),
}
UNDOCUMENTED = {"not-found", "openapi", "openapi-docs", "webform-openapi"}
METHODS = ("get", "post", "put", "patch", "delete", "lookup")
SUFFIX = re.compile(r"\.?<drf_format_suffix[^>]*>$")
CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
GROUP = re.compile(r"\(\?P<([^>]+)>[^)]*\)")
ANY_NAME = re.compile(r"\{[^}]+\}")
FORMS = redmine_urls.webform_patterns


def fetch(path: str) -> dict[str, Any]:
    answer = Client().get(path)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    return answer.json()


@pytest.fixture(scope="module", params=sorted(MOUNTS))
def dialect(request: Any) -> str:
    return request.param


@pytest.fixture(scope="module")
def doc(dialect: str) -> dict[str, Any]:
    return fetch(MOUNTS[dialect][1] + "openapi.json")


def route_path(pattern: URLPattern) -> tuple[str, bool]:
    """The OpenAPI path of a URL pattern, parameter names blanked, and whether it is a `.json`/`.xml` variant."""
    if isinstance(pattern.pattern, RoutePattern):
        route = str(pattern.pattern)
        suffixed = bool(SUFFIX.search(route))
        path = CONVERTER.sub(r"{\1}", SUFFIX.sub("", route))
    else:
        assert isinstance(pattern.pattern, RegexPattern)
        suffixed = False
        path = GROUP.sub(r"{\1}", str(pattern.pattern).removeprefix("^").removesuffix("$").replace("/?", ""))
        path = path.replace("\\.", ".")
    return ANY_NAME.sub("{}", "/" + path), suffixed


def routes(module: ModuleType) -> dict[str, tuple[set[str], bool]]:
    """Each documented-to-be route of a dialect: the methods its views answer, whether it takes suffixes."""
    found: dict[str, tuple[set[str], bool]] = {}
    for pattern in module.urlpatterns:
        if pattern.name in UNDOCUMENTED:
            continue
        path, suffixed = route_path(pattern)
        view = pattern.callback.view_class
        allowed = pattern.callback.view_initkwargs.get("http_method_names", view.http_method_names)
        methods = {m for m in METHODS if hasattr(view, m) and m in allowed}
        known, was_suffixed = found.get(path, (set(), False))
        found[path] = (known | methods, was_suffixed or suffixed)
    return found


def documented(doc: dict[str, Any]) -> dict[str, tuple[set[str], bool]]:
    return {
        ANY_NAME.sub("{}", path): (
            {m for m in METHODS if m in item} | ({"lookup"} if "x-lookup" in item else set()),
            "x-format-suffixes" in item,
        )
        for path, item in doc["paths"].items()
    }


def test_document_is_valid_openapi_3(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"].startswith("3.")


def test_every_route_and_method_of_the_dialect_is_documented(dialect: str, doc: dict[str, Any]) -> None:
    expected = routes(MOUNTS[dialect][0])
    assert len(expected) >= 4
    assert documented(doc) == expected


def test_a_route_without_documentation_would_be_noticed() -> None:
    doc = fetch("/rest/v1/addressbook/openapi.json")
    del doc["paths"]["/combined_contacts"]
    assert documented(doc) != routes(incoplax_urls)


def test_operation_ids_are_unique_and_every_operation_documents_the_error_shape(doc: dict[str, Any]) -> None:
    operations = [
        item[method] if method != "lookup" else item["x-lookup"]
        for item in doc["paths"].values()
        for method in METHODS
        if method in item or (method == "lookup" and "x-lookup" in item)
    ]
    ids = [operation["operationId"] for operation in operations]
    assert len(ids) == len(set(ids))
    for operation in operations:
        assert {"400", "401", "404"} <= set(operation["responses"])


def test_every_security_scheme_of_the_dialect_is_declared(dialect: str, doc: dict[str, Any]) -> None:
    schemes = doc["components"]["securitySchemes"]
    expected = {
        "redmine": {("apiKey", "X-Redmine-API-Key"), ("apiKey", "key"), ("http", "basic")},
        "onlyoffice": {("apiKey", "Authorization")},
        "incwo": {("http", "basic")},
        "incoplax": {("http", "bearer"), ("http", "basic")},
    }[dialect]
    assert {(s["type"], s.get("name") or s.get("scheme")) for s in schemes.values()} == expected
    assert doc["security"] == [{name: []} for name in schemes]


def test_incwo_document_names_the_business_file_it_was_fetched_under() -> None:
    server = fetch("/incwo/42/openapi.json")["servers"][0]
    assert server["url"] == "/incwo/{business_file_id}"
    assert server["variables"]["business_file_id"]["default"] == "42"


def test_incoplax_documents_lookup_as_an_extension() -> None:
    doc = fetch("/rest/v1/addressbook/openapi.json")
    lookup = doc["paths"]["/contacts"]["x-lookup"]
    assert lookup["operationId"] == "lookupContacts"
    assert lookup["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_docs_page_shows_the_document_in_the_vendored_swagger_ui(dialect: str) -> None:
    base = MOUNTS[dialect][1]
    answer = Client().get(base + "docs/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f'data-schema-url="{base}openapi.json"' in page
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert (DIALECTS.parent / "static/vendor/swagger-ui/swagger-ui-bundle.js").stat().st_size > 100_000


# Golden replies (each dialect's tests/golden) and the operation whose success reply they are.
GOLDEN_JSON = {
    "redmine": {
        "show.json": "showContact",
        "create.json": "createContact",
        "list.json": "listContacts",
    },
    "onlyoffice": {
        "authentication.json": "authenticate",
        "company_create.json": "createCompany",
        "company_detail.json": "showContact",
        "company_person_add.json": "addCompanyPerson",
        "company_person_remove.json": "removeCompanyPerson",
        "company_persons.json": "listCompanyPersons",
        "company_quick.json": "createCompaniesQuick",
        "company_status_set.json": "setCompanyStatus",
        "company_tag_group.json": "tagCompanyGroup",
        "company_update.json": "updateCompany",
        "contact_access.json": "setContactAccess",
        "contact_access_many.json": "setContactsAccess",
        "contact_bulk_delete.json": "deleteContacts",
        "contact_bycontactinfo.json": "contactsByInfo",
        "contact_customfield_set.json": "setContactCustomValue",
        "contact_customfields.json": "listContactCustomValues",
        "contact_data_by_type.json": "showContactInfo",
        "contact_data_create.json": "addContactInfo",
        "contact_data_create_address.json": "addContactInfo",
        "contact_data_delete.json": "deleteContactInfo",
        "contact_data_detail.json": "showContactInfo",
        "contact_data_list.json": "listContactInfo",
        "contact_data_update.json": "updateContactInfo",
        "contact_delete.json": "deleteContact",
        "contact_detail.json": "showContact",
        "contact_filter.json": "filterContacts",
        "contact_filter_access.json": "setFilteredAccess",
        "contact_filter_delete.json": "deleteFilteredContacts",
        "contact_filter_taglist.json": "tagFilteredContacts",
        "contact_merge.json": "mergeContacts",
        "contact_project_link.json": "linkContactProject",
        "contact_project_list.json": "listProjectContacts",
        "contact_project_unlink.json": "unlinkContactProject",
        "contact_status_create.json": "createContactStatus",
        "contact_status_delete.json": "deleteContactStatus",
        "contact_status_set.json": "setContactStatus",
        "contact_status_update.json": "updateContactStatus",
        "contact_statuses.json": "listContactStatuss",
        "contact_tag_add.json": "addcontactTags",
        "contact_tag_remove.json": "removecontactTags",
        "contact_tags.json": "listcontactTags",
        "contact_type_create.json": "createContactType",
        "contact_type_delete.json": "deleteContactType",
        "contact_type_detail.json": "showContactType",
        "contact_type_update.json": "updateContactType",
        "contact_types.json": "listContactTypes",
        "customfield_create.json": "createContactCustomField",
        "customfield_definitions.json": "listContactCustomFields",
        "customfield_delete.json": "deleteContactCustomField",
        "customfield_reorder.json": "reorderContactCustomFields",
        "customfield_update.json": "updateContactCustomField",
        "info_categories.json": "listInfoCategories",
        "info_types.json": "listInfoTypes",
        "person_create.json": "createPerson",
        "person_quick.json": "createPersonsQuick",
        "person_tag_group_remove.json": "untagPersonGroup",
        "person_update.json": "updatePerson",
        "project_link_many.json": "linkProjectContacts",
        "project_unlink_many.json": "unlinkProjectContacts",
        "seed_contact_project.json": "listProjectContacts",
        "tag_create.json": "createTag",
        "tag_delete.json": "deleteTag",
        "tag_dictionary.json": "listTags",
        "tag_unused_delete.json": "deleteUnusedTags",
        "taglist.json": "tagContacts",
    },
    "incoplax": {
        "combined_contacts.json": "listCombinedContacts",
        "contact_create.json": "createContact",
        "contact_detail.json": "showContact",
        "contact_detail_mask.json": "showContact",
        "contact_list.json": "listContacts",
        "contact_list_filter_order.json": "listContacts",
        "contact_list_mask_flat.json": "listContacts",
        "contact_list_page.json": "listContacts",
        "contact_lookup.json": "lookupContacts",
        "contact_patch.json": "updateContact",
        "group_create.json": "createGroup",
        "group_detail.json": "showGroup",
        "group_list.json": "listGroups",
        "group_lookup.json": "lookupGroups",
        "group_patch.json": "updateGroup",
    },
}
ERROR_FILE = re.compile(r"_(?P<status>4\d\d)(?:_[a-z_]+)?\.json$")


def operations_by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in doc["paths"].values()
        for key, operation in item.items()
        if key in METHODS or key == "x-lookup"
    }


def reply_schema(doc: dict[str, Any], operation: dict[str, Any], status: str) -> dict[str, Any]:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**schema, "components": doc["components"]}


# What the golden files mask (ids, GUIDs, times, tokens), put back as values of their type.
MASKS = {
    '"<id>"': "7",
    '"<guid>"': '"00000000-0000-4000-8000-000000000007"',
    '"<time>"': '"2024-05-14T12:43:23.0000000Z"',
    '"<token>"': '"token"',
}


def unmasked(text: str) -> str:
    for mask, value in MASKS.items():
        text = text.replace(mask, value)
    return text


def goldens(dialect: str) -> list[Path]:
    return sorted((DIALECTS / dialect / "tests" / "golden").glob("*.json"))


@pytest.mark.parametrize("dialect_name", ["redmine", "onlyoffice", "incoplax"])
def test_golden_json_replies_match_the_documented_schemas(dialect_name: str) -> None:
    doc = fetch(MOUNTS[dialect_name][1] + "openapi.json")
    operations = operations_by_id(doc)
    checked = 0
    for golden in goldens(dialect_name):
        error = ERROR_FILE.search(golden.name)
        if error is not None or golden.name == "error.json":
            operation, status = operations[next(iter(operations))], error["status"] if error else "422"
        elif golden.name in GOLDEN_JSON[dialect_name]:
            operation = operations[GOLDEN_JSON[dialect_name][golden.name]]
            status = next(code for code in operation["responses"] if code.startswith("2"))
        else:
            continue
        reply = json.loads(unmasked(golden.read_text()))
        errors = [e.message for e in OAS30Validator(reply_schema(doc, operation, status)).iter_errors(reply)]
        assert errors == [], golden.name
        checked += 1
    assert checked >= len(GOLDEN_JSON[dialect_name])


def test_every_golden_success_reply_is_checked() -> None:
    for dialect_name, files in GOLDEN_JSON.items():
        successes = {g.name for g in goldens(dialect_name) if not ERROR_FILE.search(g.name) and g.name != "error.json"}
        assert successes <= set(files), dialect_name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/2.0/crm/contact/person"),
        ("post", "/api/2.0/crm/contact/person/5"),
        ("put", "/api/2.0/crm/contact/company.json"),
        ("post", "/api/2.0/crm/contact/company/5"),
        ("post", "/api/2.0/crm/contact/5/customfield"),
        ("get", "/api/2.0/crm/person/5/customfield/3"),
    ],
)
def test_onlyoffice_route_answers_405_for_the_method_of_its_sibling_route(alice: Any, method: str, path: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    answer = getattr(client, method)(path, content_type="application/json")
    assert answer.status_code == 405
    assert answer.json() == {
        "status": 1,
        "statusCode": 405,
        "error": {"message": f'Method "{method.upper()}" not allowed'},
    }


def test_an_onlyoffice_operation_takes_its_method_from_the_key_it_is_written_under() -> None:
    tag_name = onlyoffice_openapi.op(
        "tagIt", "Tag it", tag="Tags", reply="String", inputs=[onlyoffice_inputs.TagNameSerializer]
    )
    item = onlyoffice_openapi.path_item(
        {"get": tag_name, "post": tag_name, "delete": tag_name, "x-format-suffixes": [".json"]}
    )

    assert [p["name"] for p in item["get"]["parameters"]] == ["tagName"]
    assert "requestBody" not in item["get"] and "200" in item["get"]["responses"]
    assert "tagName" in item["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "parameters" not in item["post"] and "201" in item["post"]["responses"]
    assert [p["name"] for p in item["delete"]["parameters"]] == ["tagName"]
    assert item["x-format-suffixes"] == [".json"]


def test_onlyoffice_authentication_needs_no_credentials_and_the_rest_do() -> None:
    document = onlyoffice_openapi.build(base="/api/2.0/crm/")
    assert document["paths"]["/authentication"]["post"]["security"] == []
    assert "security" not in document["paths"]["/crm/contact/filter"]["get"]
    shown = document["paths"]["/crm/contact/{contactid}/data/{infoid}"]["get"]["responses"]["200"]
    assert "oneOf" in shown["content"]["application/json"]["schema"]


def test_the_web_forms_own_route_is_documented_on_its_own_and_valid() -> None:
    doc = fetch("/forms/openapi.json")
    validate(doc)
    assert doc["servers"] == [{"url": "/forms"}]
    served = {path: methods | {"options"} for path, (methods, _) in routes(SimpleNamespace(urlpatterns=FORMS)).items()}
    assert (
        {ANY_NAME.sub("{}", path): set(item) for path, item in doc["paths"].items()}
        == served
        == {"/{}/": {"post", "options"}}
    )
    submit = doc["paths"]["/{key}/"]["post"]
    assert submit["security"] == []
    assert {"application/json", "application/x-www-form-urlencoded", "multipart/form-data"} == set(
        submit["requestBody"]["content"]
    )
    assert "text/html" in submit["responses"]["404"]["content"]
