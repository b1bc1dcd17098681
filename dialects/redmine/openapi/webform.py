"""The web form's own document: its neutral route, `/forms/<key>/`, with the Redmine errors."""

from __future__ import annotations

from typing import Any

from contacts.models import WEBFORM_FIELDS
from dialects.openapi import (
    BOOLEAN,
    INTEGER,
    JSON,
    STRING,
    TEXT_OR_NULL,
    XML,
    body,
    content,
    document,
    obj,
    operation,
    parameter,
    response,
)
from dialects.redmine.openapi.schemas import ERRORS, SCHEMAS, wrapped

WEBFORM_TITLE = "Web form posts"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
WEBFORM_KEY = parameter("key", "path", STRING, description="The web form's key (its snippet shows it).")
WEBFORM_CONTACT = obj({name: STRING for name in WEBFORM_FIELDS})
WEBFORM_EXTRAS = {
    "project_id": STRING,
    "redirect_on_success": STRING,
}
WEBFORM_PAGE = {HTML: STRING}
# The Redmine errors a post can get; those a browser's own post gets as a page say so. (A wrong
# key is a page of 404 for a browser, a 401 with an empty body for a script.)
WEBFORM_PAGES = (400, 404, 413, 415, 422, 429)
WEBFORM_ERRORS = {
    code: {**answer, "content": {**answer.get("content", {}), **content(WEBFORM_PAGE)}}
    if code in WEBFORM_PAGES
    else answer
    for code, answer in ERRORS.items()
    if code != 412
}


def webform_paths() -> dict[str, dict[str, Any]]:
    form_fields = obj({f"contact[{name}]": STRING for name in WEBFORM_FIELDS} | WEBFORM_EXTRAS)
    submit = operation(
        "submitWebForm",
        "Post a lead to a web form",
        tag="Web forms",
        description=(
            "The form's own route; `POST /redmine/contacts.json` with `key` in the body is its alias in the "
            "Redmine document. Only the fields the form allows are kept. Scripts get JSON (or XML); a "
            "browser posting the form itself (a form body, Accept preferring HTML) gets pages."
        ),
        parameters=[WEBFORM_KEY],
        request_body=body(
            {JSON: obj({"contact": WEBFORM_CONTACT} | WEBFORM_EXTRAS), FORM: form_fields, MULTIPART: form_fields},
            description="The `contact` hash, or the same as `contact[field]` form fields.",
        ),
        responses={
            200: response("A browser's post: the form's thank-you page.", WEBFORM_PAGE),
            201: response(
                "The lead stored: what it sent, never a stored contact's other data.",
                {
                    JSON: wrapped(
                        "contact",
                        obj(
                            {
                                "id": INTEGER,
                                "is_company": BOOLEAN,
                                "first_name": TEXT_OR_NULL,
                                "last_name": TEXT_OR_NULL,
                            },
                            required=["id", "is_company", "first_name", "last_name"],
                        ),
                    ),
                    XML: STRING,
                },
            ),
            204: response("Taken and set aside: the honeypot field was filled."),
            302: response("Stored: on to `redirect_on_success`.", headers={"Location": "The thank-you page."}),
            303: response("A browser's post, stored: on to the thank-you page.", headers={"Location": "The page."}),
        },
        errors=WEBFORM_ERRORS,
    )
    submit["security"] = []
    preflight = operation(
        "preflightWebForm",
        "CORS preflight of a post from a page of the form's allowed origins",
        tag="Web forms",
        parameters=[WEBFORM_KEY],
        responses={204: response("The CORS headers, for an allowed origin.")},
        errors={code: WEBFORM_ERRORS[code] for code in (401, 403, 404)},
    )
    preflight["security"] = []
    return {"/{key}/": {"post": submit, "options": preflight}}


def build_webform(*, base: str) -> dict[str, Any]:
    """The web form's own route, `/forms/<key>/`, in a document of its own (its server is `/forms`)."""
    return document(
        base="/forms",
        title=WEBFORM_TITLE,
        description=(
            "A web form's neutral route: visitors' leads, posted by the form's page or a script, with no "
            'credentials but the form\'s key. See docs/redmine.md, "Web forms".'
        ),
        paths=webform_paths(),
        schemas={name: SCHEMAS[name] for name in ("Errors", "ErrorsXml")},
        security_schemes={},
        tags=[("Web forms", "Leads posted to a web form.")],
    )
