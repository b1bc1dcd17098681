"""The embeddable HTML of a web form, after the Redmine plugin's form (docs/redmine.md, "Web forms").

The same markup serves the snippet a manager pastes into another site and the re-filled form of
the page that tells a visitor what to fix: there it carries what they typed and, next to each
input, its error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from django.template.loader import render_to_string
from django.templatetags.static import static

from contacts.models import CustomField, WebForm

FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "middle_name": "Middle name",
    "company": "Company",
    "job_title": "Job title",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
    "background": "About you",
    "tag_list": "Tags",
}
# The HTML input type of each contact field; others are text.
FIELD_TYPES = {"phone": "tel", "email": "email", "website": "url", "background": "textarea"}
# A person needs a first or a last name: the one a form has is required; with both, either will do.
NAME_FIELDS = ("first_name", "last_name")
CUSTOM_TYPES = {
    CustomField.Format.TEXT: "textarea",
    CustomField.Format.INTEGER: "number",
    CustomField.Format.DECIMAL: "number",
    CustomField.Format.DATE: "date",
    # A select, not a checkbox: an unticked box sends nothing, and the n-th id would pair
    # with the next field's value.
    CustomField.Format.BOOLEAN: "select",
    CustomField.Format.LIST: "select",
    CustomField.Format.URL: "url",
    CustomField.Format.EMAIL: "email",
}
SCRIPT = "js/webform.js"


@dataclass
class SnippetInput:
    """One labelled input of the form."""

    key: str  # the field's name in the intake: `first_name` or `custom_fields[<id>]`
    name: str  # the input's name attribute
    input_id: str
    label: str
    type: str = "text"
    required: bool = False
    value: str = ""
    choices: Sequence[str] = ()
    step: str = ""
    custom_id: int | None = None
    errors: list[str] = field(default_factory=list)


def webform_action_url(base_url: str, *, key: str) -> str:
    """The form's own intake route; `POST /redmine/contacts.json` with the key in the body also works."""
    return f"{base_url.rstrip('/')}/forms/{key}/"


def webform_script_url(base_url: str) -> str:
    """The address of the small script that posts the form without leaving the page."""
    return urljoin(base_url.rstrip("/") + "/", static(SCRIPT).lstrip("/"))


def webform_inputs(
    webform: WebForm,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> list[SnippetInput]:
    """The form's inputs in order: its contact fields, then its custom fields (`values` and
    `errors` by the intake's keys re-fill a refused post)."""
    values, errors = values or {}, errors or {}
    prefix = f"crm-{webform.key[:8]}"
    names = [name for name in NAME_FIELDS if name in webform.fields]
    required = set(names) if len(names) == 1 else set()
    inputs = [
        SnippetInput(
            key=name,
            name=f"contact[{name}]",
            input_id=f"{prefix}-{name}",
            label=FIELD_LABELS[name],
            type=FIELD_TYPES.get(name, "text"),
            required=name in required,
            value=str(values.get(name) or ""),
            errors=list(errors.get(name, [])),
        )
        for name in webform.fields
        if name in FIELD_LABELS
    ]
    for custom in webform.custom_fields.all():
        if custom.field_format == CustomField.Format.HEADING:
            continue
        key = f"custom_fields[{custom.pk}]"
        kind = CUSTOM_TYPES.get(custom.field_format, "text")
        inputs.append(
            SnippetInput(
                key=key,
                name="contact[custom_fields][][value]",
                input_id=f"{prefix}-cf{custom.pk}",
                label=custom.name,
                type=kind,
                required=custom.is_required and custom.applies_to != CustomField.AppliesTo.COMPANIES,
                value=str(values.get(key) or ""),
                choices=_choices(custom) if kind == "select" else (),
                step="1" if custom.field_format == CustomField.Format.INTEGER else "any",
                custom_id=custom.pk,
                errors=list(errors.get(key, [])),
            )
        )
    return inputs


def _choices(custom: CustomField) -> list[str]:
    if custom.field_format == CustomField.Format.BOOLEAN:
        return ["Yes", "No"]
    return [str(choice) for choice in custom.choices or []]


def webform_snippet(
    webform: WebForm,
    *,
    base_url: str,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    redirect_url: str | None = None,
) -> str:
    """HTML to paste into another site; it posts to this CRM's web-form intake."""
    return render_to_string(
        "contacts/webform_snippet.html",
        {
            "form": webform,
            "action": webform_action_url(base_url, key=webform.key),
            "inputs": webform_inputs(webform, values=values, errors=errors),
            "redirect_url": redirect_url if redirect_url is not None else webform.redirect_url,
            "script_url": webform_script_url(base_url) if webform.use_script else "",
            "general_errors": list((errors or {}).get("", [])),
        },
    ).strip()
