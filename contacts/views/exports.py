"""The contacts list's exports: a small one streamed at once, a large one prepared by a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from contacts.exporters import EXPORT_LABELS, export_response
from contacts.forms import ContactFilterForm
from contacts.jobs import INLINE_LIMIT, job_start
from contacts.models import Job
from contacts.selectors import contact_count, contact_list
from contacts.tasks import contacts_export


@login_required
@require_http_methods(["GET", "POST"])
def contact_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list's contacts (its filters, the user's visibility) as CSV or vCard.

    Up to INLINE_LIMIT contacts stream at once. A larger export is a job: a GET shows what will
    happen (so a followed link starts no work) and its POST starts the job and opens its page.
    """
    filters = ContactFilterForm(request.GET, user=request.user).filters()
    contacts = contact_list(user=request.user, filters=filters, prefetch=False)
    total = contact_count(contacts)
    if total <= INLINE_LIMIT:
        return export_response(contacts, user=request.user, fmt=fmt, filename=f"contacts.{fmt}")
    label = EXPORT_LABELS[fmt]
    if request.method != "POST":
        back = reverse("contacts:contact-list") + (f"?{request.GET.urlencode()}" if request.GET else "")
        context = {"total": total, "label": label, "back": back, "limit": INLINE_LIMIT}
        return render(request, "contacts/contact_export_confirm.html", context)
    job = job_start(
        user=request.user,
        kind=Job.Kind.EXPORT,
        title=f"{label} export of {total:,} contacts",
        task=contacts_export,
        params={"format": fmt, "filters": filters},
    )
    return redirect(job.get_absolute_url())
