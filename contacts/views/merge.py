"""The merge page (a column per contact, a radio per field) and the undo of a merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts.duplicates import merge_get
from contacts.models import Contact
from contacts.selectors import contact_list
from contacts.services import contact_merge, merge_undo
from contacts.services.merge import merge_default_picks, merge_fields
from contacts.views.common import error_text
from crm.ids import parse_id

MAX_MERGED = 10


def _shown(contact: Contact, name: str) -> str:
    """A field's value as the merge page shows it."""
    if name == "visibility":
        return contact.get_visibility_display()
    value = getattr(contact, name)
    if name == "avatar":
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(value, Contact):
        return value.display_name
    return "" if value is None else str(value)


def merge_page_rows(*, contacts: list[Contact], picks: dict[str, int]) -> list[dict[str, Any]]:
    """A row per field (and custom field) one of the contacts has a value for: each contact's value,
    which one is picked, and whether they differ (a choice to make)."""
    rows = []
    for name in merge_fields(is_company=contacts[0].is_company):
        values = [_shown(c, name) for c in contacts]
        label = str(Contact._meta.get_field(name).verbose_name).capitalize()
        rows.append({"key": name, "label": label, "values": values})
    custom: dict[int, Any] = {}
    for contact in contacts:
        for value in contact.custom_values.all():
            custom.setdefault(value.field_id, (value.field, {}))[1][contact.pk] = value.display_value
    for field_id, (definition, by_contact) in sorted(custom.items(), key=lambda kv: (kv[1][0].position, kv[0])):
        values = [by_contact.get(c.pk, "") for c in contacts]
        rows.append({"key": f"cf_{field_id}", "label": definition.name, "values": values})
    for row in rows:
        row["cells"] = [
            {"contact": c, "value": v, "checked": picks.get(row["key"]) == c.pk}
            for c, v in zip(contacts, row["values"], strict=True)
        ]
        row["differs"] = len({v for v in row["values"]}) > 1
    return [row for row in rows if any(row["values"])]


def _contacts(request: HttpRequest, ids: list[str]) -> list[Contact]:
    clean = list(dict.fromkeys(pk for pk in map(parse_id, ids[:MAX_MERGED]) if pk is not None))
    found = {c.pk: c for c in contact_list(user=request.user).filter(pk__in=clean).prefetch_related("access_list")}
    return [found[pk] for pk in clean if pk in found]


@login_required
def contact_merge_view(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    contacts = _contacts(request, source.getlist("ids"))
    if len(contacts) < 2:
        messages.error(request, "Choose at least two contacts you can see to merge.")
        return redirect("contacts:duplicate-list")
    wanted = parse_id(source.get("survivor", ""))
    survivor = next((c for c in contacts if c.pk == wanted), contacts[0])
    others = [c for c in contacts if c is not survivor]
    picks = merge_default_picks(survivor=survivor, others=others)
    error, status = "", 200
    if request.method == "POST":
        picks |= {key[5:]: pk for key, value in source.items() if key.startswith("pick_") and (pk := parse_id(value))}
        try:
            contact_merge(user=request.user, survivor=survivor, others=others, picks=picks)
        except (PermissionDenied, ValidationError) as exc:
            error, status = error_text(exc), 403 if isinstance(exc, PermissionDenied) else 400
        else:
            names = ", ".join(c.display_name for c in others)
            messages.success(request, f"{names} merged into {survivor.display_name}.")
            return redirect(survivor)
    context: dict[str, Any] = {
        "contacts": [survivor, *others],
        "survivor": survivor,
        "rows": merge_page_rows(contacts=[survivor, *others], picks=picks),
        "error": error,
    }
    return render(request, "contacts/merge_form.html", context, status=status)


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = merge_get(user=request.user, pk=pk)
    if record is None:
        raise Http404("No such merge.")
    try:
        survivor = merge_undo(user=request.user, record=record)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("contacts:contact-detail", pk=record.survivor_id)
    messages.success(request, f"The merge was undone: {', '.join(record.merged_names)} came back.")
    return redirect(survivor)
