"""The web forms' part of a project page: the forms' HTML to copy, and the form that adds one.

The project page includes it with `{% webform_panel project can_manage %}`, so the web-form
code (forms, snippets, the create view) stays in contacts and projects imports none of it.
"""

from __future__ import annotations

from typing import Any

from django import template

from contacts.forms import WebFormForm
from contacts.selectors import webform_list
from contacts.webforms import webform_snippet

register = template.Library()


@register.inclusion_tag("contacts/webform_panel.html", takes_context=True)
def webform_panel(context: Any, project: Any, can_manage: bool) -> dict[str, Any]:
    """The panel's context; a create that failed leaves its bound form in `webform_form`."""
    base_url = context["request"].build_absolute_uri("/")
    return {
        "project": project,
        "can_manage": can_manage,
        "webforms": [(wf, webform_snippet(wf, base_url=base_url)) for wf in webform_list(project=project)],
        "webform_form": context.get("webform_form") or WebFormForm(),
        "csrf_token": context.get("csrf_token"),
    }
