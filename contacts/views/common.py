"""Helpers shared by the HTML views: htmx detection, the visible contact or a 404, error text, safe redirects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from contacts.forms import (
    NoteForm,
    TagAddForm,
)
from contacts.models import Contact
from contacts.selectors import (
    TIMELINE_SHOWS,
    company_people,
    contact_can_delete,
    contact_can_edit,
    contact_get,
    contact_timeline,
    note_managed_contact,
)
from projects.selectors import project_list


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def visible_contact(request: HttpRequest, pk: int) -> Contact:
    contact = contact_get(user=request.user, pk=pk)
    if contact is None:
        raise Http404("No such contact.")
    return contact


def error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


def timeline_show(request: HttpRequest) -> str:
    """The timeline filter asked for (`?show=notes|changes`), "all" for anything else."""
    show = request.GET.get("show", "all")
    return show if show in TIMELINE_SHOWS else "all"


# How many entries of the timeline (notes and history) the contact page shows before "Show all".
TIMELINE_PREVIEW = 20


def detail_context(request: HttpRequest, contact: Contact, **extra: Any) -> dict[str, Any]:
    user = request.user
    show = timeline_show(request)
    timeline, timeline_more = contact_timeline(user=user, contact=contact, show=show, limit=TIMELINE_PREVIEW)
    return {
        "contact": contact,
        "timeline": timeline,
        "timeline_more": timeline_more,
        "show": show,
        "people": company_people(user=user, company=contact) if contact.is_company else [],
        "projects": project_list(user=user).filter(contacts=contact),
        "access_list": contact.access_list.order_by("username"),
        "note_form": NoteForm(),
        "tag_form": TagAddForm(),
        "can_edit": contact_can_edit(user=user, contact=contact),
        "can_delete": contact_can_delete(user=user, contact=contact),
        "can_manage_notes": note_managed_contact(user=user, contact=contact),
    } | extra
