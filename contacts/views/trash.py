"""The trash page: deleted contacts the user could delete, searchable and paged; restore or purge them.

A contact in the trash is seen by whoever could delete it (superusers, its author, managers of
one of its projects) and by nobody else; the same people restore it or purge it for good. A
contact a merge put here says whom it was merged into.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contacts.duplicates import merged_into_names
from contacts.models import Contact
from contacts.selectors import ContactPages, trash_list, trash_list_by_ids
from contacts.services import contact_purge_many, contact_restore_many
from contacts.views.common import error_text, is_htmx, safe_next

TRASH_PAGE_SIZE = 25
# Restore and purge act on what one page shows; larger batches are the purge command's.
MAX_CHOSEN = 100


@login_required
def trash_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    contacts = trash_list(user=request.user, search=query)
    page = Paginator(ContactPages(contacts), TRASH_PAGE_SIZE).get_page(request.GET.get("page"))
    merged_into = merged_into_names(contact_ids=[c.pk for c in page.object_list])
    for contact in page.object_list:
        contact.merged_into = merged_into.get(contact.pk, "")
    template = "contacts/trash_list_results.html" if is_htmx(request) else "contacts/trash_list.html"
    return render(request, template, {"page": page, "q": query})


@login_required
@require_POST
def trash_restore(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("contacts:trash-list"))
    contacts = _chosen(request)
    if contacts:
        try:
            restored = contact_restore_many(contacts=contacts, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"{_count(len(restored))} restored.")
    return redirect(back)


@login_required
@require_POST
def trash_purge(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("contacts:trash-list"))
    contacts = _chosen(request)
    if contacts and request.POST.get("confirmed") != "1":
        return render(request, "contacts/trash_confirm_purge.html", {"contacts": contacts, "next": back})
    if contacts:
        try:
            purged = contact_purge_many(contacts=contacts, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"{_count(purged)} purged for good.")
    return redirect(back)


def _chosen(request: HttpRequest) -> list[Contact]:
    """The trashed contacts the form names that the user may restore or purge (others are ignored)."""
    ids = request.POST.getlist("ids")
    if len(ids) > MAX_CHOSEN:
        messages.error(request, f"Choose at most {MAX_CHOSEN} contacts at a time.")
        return []
    contacts = trash_list_by_ids(user=request.user, ids=ids)
    if not contacts:
        messages.error(request, "Choose the contacts first.")
    return contacts


def _count(n: int) -> str:
    return f"{n} contact{'s' if n != 1 else ''}"
