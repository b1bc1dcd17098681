"""A contact's timeline on its own page: notes and history entries merged by date, filtered to
one of them or both, a page at a time (the contact page shows the newest few)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contacts.selectors import contact_timeline
from contacts.views.common import timeline_show, visible_contact
from crm.ids import parse_id

TIMELINE_PAGE_SIZE = 50
# A page reads every entry before it from each source, so asking for page 10 000 reads page 200.
MAX_TIMELINE_PAGE = 200


@login_required
def contact_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    show = timeline_show(request)
    number = min(parse_id(request.GET.get("page")) or 1, MAX_TIMELINE_PAGE)
    entries, has_more = contact_timeline(
        user=request.user,
        contact=contact,
        show=show,
        offset=(number - 1) * TIMELINE_PAGE_SIZE,
        limit=TIMELINE_PAGE_SIZE,
    )
    context = {
        "contact": contact,
        "timeline": entries,
        "show": show,
        "number": number,
        "has_previous": number > 1,
        "has_next": has_more and number < MAX_TIMELINE_PAGE,
    }
    return render(request, "contacts/contact_timeline.html", context)
