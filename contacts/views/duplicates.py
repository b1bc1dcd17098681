"""The duplicates page (likely pairs, best first, with "Not a duplicate") and the editor's JSON check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contacts.duplicates import duplicate_matches, duplicate_pair_contacts, duplicate_pairs
from contacts.selectors import contact_list_by_ids
from contacts.services import duplicate_dismiss
from contacts.tasks import duplicates_scan_current, duplicates_scan_request
from contacts.views.common import error_text, safe_next
from crm.ids import parse_id

PAIRS_PER_PAGE = 25
MAX_CHECK_VALUES = 20
MAX_CHECK_LENGTH = 255


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    scan, checking = duplicates_scan_current()
    pairs = duplicate_pairs(user=request.user, groups=scan.groups if scan else {})
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    contacts = duplicate_pair_contacts(user=request.user, pairs=page.object_list)
    rows = [(pair, contacts[pair.first], contacts[pair.second]) for pair in page.object_list]
    context = {"page": page, "rows": rows, "scan": scan, "checking": checking}
    return render(request, "contacts/duplicate_list.html", context)


@login_required
@require_POST
def duplicate_scan_view(request: HttpRequest) -> HttpResponse:
    """Look for duplicates again now (in the background)."""
    if duplicates_scan_request():
        messages.success(request, "Looking for duplicates again.")
    else:
        messages.info(request, "A look for duplicates is already under way.")
    return redirect("contacts:duplicate-list")


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest) -> HttpResponse:
    contacts = contact_list_by_ids(user=request.user, ids=request.POST.getlist("ids")[:2])
    back = safe_next(request, reverse("contacts:duplicate-list"))
    if len(contacts) != 2:
        messages.error(request, "Choose two contacts you can see.")
        return redirect(back)
    try:
        duplicate_dismiss(user=request.user, first=contacts[0], second=contacts[1])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, f"{contacts[0]} and {contacts[1]} are marked as not duplicates.")
    return redirect(back)


def _texts(request: HttpRequest, name: str) -> list[str]:
    return [value[:MAX_CHECK_LENGTH] for value in request.GET.getlist(name)[:MAX_CHECK_VALUES]]


@login_required
def duplicate_check(request: HttpRequest) -> JsonResponse:
    """GET /contacts/duplicates/check: the visible contacts that look like the one being entered."""
    text = {
        name: request.GET.get(name, "")[:MAX_CHECK_LENGTH]
        for name in ("first_name", "middle_name", "last_name", "name")
    }
    matches = duplicate_matches(
        user=request.user,
        is_company=request.GET.get("kind") == "company",
        company_id=parse_id(request.GET.get("company", "")),
        emails=_texts(request, "email"),
        phones=_texts(request, "phone"),
        exclude=parse_id(request.GET.get("exclude", "")),
        **text,
    )
    return JsonResponse(
        {
            "matches": [
                {
                    "id": match.contact.pk,
                    "name": match.contact.display_name,
                    "company": match.contact.company.display_name if match.contact.company_id else "",
                    "url": match.contact.get_absolute_url(),
                    "reasons": match.reasons,
                }
                for match in matches
            ]
        }
    )
