"""Schemathesis against a live server: every operation of every dialect's OpenAPI document gets
generated requests, and each answer must not be a 5xx and must match the document (status
code, content type, and for JSON the response schema).

The server is a real deployment (crm/testing.py: gunicorn, two workers, a database of its own)
with a small fixed data set (seed_demo's 20 contacts, and one web form), fuzzed as the demo user
alice with her API key; the web form's own route (`/forms/<key>/`, its document served at
`/forms/openapi.json`) is fuzzed with the form's key and without credentials. The database is a
copy of a template built once, so every run starts from the same data. `FUZZ_EXAMPLES` sets the
cases per operation (10 by default; `.ci/run` sets its own for `make fuzz`); generation is
derandomized and never shrinks, so a run with the same count generates the same cases again, and a
failure prints its case (schemathesis' `curl` reproduction) and the `@reproduce_failure` line that
replays it. Incoplax's LOOKUP, which OpenAPI cannot name, is fuzzed
by a call of its own with bodies generated from its `x-lookup` schema.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator

from crm.testing import ServedCRM
from dialects.incoplax import openapi as incoplax_openapi
from dialects.incwo import openapi as incwo_openapi
from dialects.onlyoffice import openapi as onlyoffice_openapi
from dialects.redmine import openapi as redmine_openapi

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
METHOD_ORDER = {"GET": 0, "OPTIONS": 0, "POST": 2, "PUT": 3, "PATCH": 4, "DELETE": 5}
# Writes to every contact a filter matches (without a filter, every contact alice sees) run after
# the reads and before the creates: a case then costs what the seeded rows cost, instead of growing
# with every contact the creates have added before it (hundreds, at 200 cases per operation).
BULK_WRITES = {
    ("onlyoffice", "PUT", "/crm/contact/filter/access"),
    ("onlyoffice", "POST", "/crm/contact/filter/taglist"),
}
DOCUMENTS = {
    "redmine": redmine_openapi.build,
    "onlyoffice": onlyoffice_openapi.build,
    "incwo": incwo_openapi.build,
    "incoplax": incoplax_openapi.build,
    "forms": redmine_openapi.build_webform,
}
# dialect → (where its document is served, the base its paths are relative to); {project} is
# the business file alice is a member of.
MOUNTS = {
    "redmine": ("/redmine/", "/redmine"),
    "onlyoffice": ("/api/2.0/crm/", "/api/2.0"),
    "incwo": ("/incwo/{project}/", "/incwo/{project}"),
    "incoplax": ("/rest/v1/addressbook/", "/rest/v1/addressbook"),
    "forms": ("/forms/", "/forms"),
}
SEED_CONTACTS = 20
# The web form fuzzed: open to any number of posts, so that the cases reach the intake rather
# than the rate limit.
WEBFORM = """
from django.contrib.auth import get_user_model
from contacts.models import WebForm
from projects.models import Project
WebForm.objects.create(
    project=Project.objects.order_by("pk").first(), name="Fuzzed", rate_limit_per_hour=10**6,
    created_by=get_user_model().objects.get(username="alice"),
    allowed_fields=["first_name", "last_name", "email", "phone", "company", "tag_list"],
    allowed_origins=["https://shop.example"],
)
"""
SETUP = [["seed_demo", "--contacts", str(SEED_CONTACTS), "--quiet"], ["shell", "--no-imports", "-c", WEBFORM]]
# alice's key, the first business file she is a member of, and the web form's key.
INFO = """
import json
from django.contrib.auth import get_user_model
from contacts.models import WebForm
from contacts.services import apikey_get_or_create
from projects.models import Membership
alice = get_user_model().objects.get(username="alice")
projects = Membership.objects.filter(user=alice).order_by("project_id").values_list("project_id", flat=True)
key = apikey_get_or_create(user=alice).key
print(json.dumps({"key": key, "project": projects[0], "webform": WebForm.objects.get(name="Fuzzed").key}))
"""
# Numeric ids in paths are drawn up to this, so that many name a seeded row (there are about
# 25 contacts and 100 items of contact information); the documented schema is drawn from too.
SEEDED_IDS = 150


class Served:
    """The served instance, alice's key and the business file she is a member of."""

    def __init__(self, crm: ServedCRM) -> None:
        self.crm = crm
        info = json.loads(crm.manage("shell", "--no-imports", "-c", INFO))
        self.key, self.project, self.webform = info["key"], str(info["project"]), info["webform"]

    def keys(self, collection: str) -> list[str]:
        """Some ids of an Incoplax collection, for its `{key}` paths."""
        answer = requests.get(
            self.url(f"/rest/v1/addressbook/{collection}?mask=id&limit=20"),
            headers=self.headers("incoplax"),
            timeout=60,
        )
        answer.raise_for_status()
        return [entity["id"] for entity in answer.json()]

    def headers(self, dialect: str) -> dict[str, str]:
        basic = base64.b64encode(f"{self.key}:x".encode()).decode()
        return {
            "redmine": {"X-Redmine-API-Key": self.key},
            "onlyoffice": {"Authorization": self.key},
            "incwo": {"Authorization": f"Basic {basic}"},
            "incoplax": {"Authorization": f"Bearer {self.key}"},
            "forms": {},
        }[dialect]

    def url(self, path: str) -> str:
        return self.crm.url(path.format(project=self.project))


@pytest.fixture(scope="module")
def served(tmp_path_factory: Any) -> Iterator[Served]:
    """One served instance (crm/testing.py, as the `served_crm` fixture) for the module, with demo data."""
    crm = ServedCRM(tmp_path_factory.mktemp("fuzz"), setup=SETUP).start()
    try:
        yield Served(crm)
    finally:
        crm.stop()


def fuzz_settings() -> settings:
    return settings(
        max_examples=EXAMPLES,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def with_seeded_ids(document: dict[str, Any], keys: dict[str, list[str]]) -> dict[str, Any]:
    """The document with its path ids drawn where the seeded rows are: numbers mostly up to
    SEEDED_IDS, Incoplax keys and the web form's key among real ones or any string. Only the
    cases change; the server is fuzzed against the document as it is otherwise."""
    for path, item in document["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter["in"] != "path":
                    continue
                schema = parameter["schema"]
                if schema.get("type") == "integer" or "oneOf" in schema:
                    parameter["schema"] = {"anyOf": [{"type": "integer", "minimum": -3, "maximum": SEEDED_IDS}, schema]}
                elif parameter["name"] == "key":
                    real = keys[
                        "forms"
                        if path == "/{key}/"
                        else "contacts"
                        if path.startswith("/contacts")
                        else "contactgroups"
                    ]
                    parameter["schema"] = {"anyOf": [{"enum": real}, schema]}
    return document


def operations() -> list[tuple[str, str, str]]:
    """(dialect, method, path) of every operation, from the documents as the dialects build them,
    reads first, then the bulk writes, and deletes last (so that the data the reads see is not
    gone before they run)."""
    found = []
    for dialect, build in DOCUMENTS.items():
        for path, item in build(base=MOUNTS[dialect][0])["paths"].items():
            found += [(dialect, method.upper(), path) for method in item if method.upper() in METHOD_ORDER]
    return sorted(found, key=lambda op: (1 if op in BULK_WRITES else METHOD_ORDER[op[1]], op))


@pytest.fixture(scope="module")
def schemas(served: Served) -> dict[str, Any]:
    """Each dialect's document as served, loaded by schemathesis, with the seeded ids drawn."""
    keys = {name: served.keys(name) for name in ("contacts", "contactgroups")} | {"forms": [served.webform]}
    loaded = {}
    for dialect, (document, _) in MOUNTS.items():
        raw = requests.get(served.url(document + "openapi.json"), timeout=60).json()
        loaded[dialect] = schemathesis.openapi.from_dict(with_seeded_ids(raw, keys))
    return loaded


@pytest.mark.parametrize(("dialect", "method", "path"), operations())
def test_operation_answers_as_documented(
    served: Served, schemas: dict[str, Any], dialect: str, method: str, path: str
) -> None:
    operation = schemas[dialect][path][method]
    base_url = served.url(MOUNTS[dialect][1])
    session = requests.Session()
    session.trust_env = False  # no proxy settings read from the environment at every request
    session.headers.update(served.headers(dialect))

    @fuzz_settings()
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, timeout=60)
        case.validate_response(response, checks=CHECKS)

    run()


LOOKUP_BODIES = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.sampled_from(["+1 202 555 0111", "engineers", "1", ""]),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@pytest.mark.parametrize("collection", ["/contacts", "/contactgroups"])
def test_incoplax_lookup_answers_as_documented(served: Served, collection: str) -> None:
    document = requests.get(served.url("/rest/v1/addressbook/openapi.json"), timeout=60).json()
    lookup = document["paths"][collection]["x-lookup"]
    session = requests.Session()
    session.trust_env = False
    session.headers.update(served.headers("incoplax"))
    url = served.url("/rest/v1/addressbook" + collection)

    @fuzz_settings()
    @given(body=LOOKUP_BODIES)
    def run(body: Any) -> None:
        response = session.request("LOOKUP", url, json=body, timeout=60)
        status = str(response.status_code)
        assert status in lookup["responses"], status
        schema = lookup["responses"][status]["content"]["application/json"]["schema"]
        OAS30Validator({**schema, "components": document["components"]}).validate(response.json())

    run()
