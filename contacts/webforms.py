"""The embeddable HTML of a web form, after the Redmine plugin's form (docs/redmine.md, "Web forms")."""

from __future__ import annotations

from django.template.loader import render_to_string

from contacts.models import WebForm

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


def webform_action_url(base_url: str, *, key: str) -> str:
    """The form's own intake route; `POST /redmine/contacts.json` with the key in the body also works."""
    return f"{base_url.rstrip('/')}/forms/{key}/"


def webform_snippet(webform: WebForm, *, base_url: str) -> str:
    """HTML to paste into another site; it posts to this CRM's web-form intake."""
    return render_to_string(
        "contacts/webform_snippet.html",
        {
            "form": webform,
            "action": webform_action_url(base_url, key=webform.key),
            "fields": [(name, FIELD_LABELS[name]) for name in webform.fields if name in FIELD_LABELS],
            "custom_fields": list(webform.custom_fields.all()),
        },
    ).strip()
