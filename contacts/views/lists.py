"""The contacts list: search, filters, sorting, its exports, bulk actions and saved views.

A bulk action applies to the ticked rows or to every contact the list's filter matches (the form
sends the filter, never a list of ids): the server re-reads the set through `contact_list` with
the user's visibility. Over `INLINE_LIMIT` contacts it runs as a background job.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contacts.exporters import export_response
from contacts.forms import PAGE_SIZES, BulkActionForm, ContactFilterForm, ListChoices, SavedViewForm
from contacts.models import Job, SavedView
from contacts.selectors import (
    COUNTED_UP_TO,
    ContactPages,
    contact_count,
    contact_list,
    contact_list_for_display,
    contact_list_selection,
    contact_page,
    saved_view_get,
)
from contacts.services import (
    contact_bulk_start,
    saved_view_create,
    saved_view_delete,
    saved_view_update,
)
from contacts.views.common import error_text, is_htmx, safe_next

LIST_RELATED = ("items", "tagged_items")  # what the rows show: phone, email and tags


@login_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    choices = ListChoices(user=user)
    filter_form = ContactFilterForm(request.GET, user=user, choices=choices)
    contacts = filter_form.apply_sort(
        contact_list_for_display(user=user, filters=filter_form.filters(), related=LIST_RELATED)
    )
    pages = ContactPages(contacts, cap=COUNTED_UP_TO)  # "10000+" past the cap: no pass over every match
    page = Paginator(pages, filter_form.page_size()).get_page(request.GET.get("page"))
    views = choices.saved_views
    current = next((v for v in views if str(v.pk) == request.GET.get("view")), None)
    context = {
        "filter_form": filter_form,
        "columns": filter_form.columns(),
        "page": page,
        "page_sizes": PAGE_SIZES,
        "bulk_form": BulkActionForm(user=user, choices=choices, initial={"query": filter_form.query()}),
        "saved_views": views,
        "current_view": current,
        "view_form": SavedViewForm(user=user, choices=choices, initial={"query": filter_form.query()}),
    }
    template = "contacts/contact_list_results.html" if is_htmx(request) else "contacts/contact_list.html"
    return render(request, template, context)


@login_required
@require_POST
def contact_bulk(request: HttpRequest) -> HttpResponse:
    user, back = request.user, safe_next(request, reverse("contacts:contact-list"))
    form = BulkActionForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(back)
    action, selection = form.cleaned_data["action"], form.selection()
    if action == "export":
        return _bulk_export(request, form)
    if form.needs_confirmation():
        contacts = contact_list_selection(user=user, **selection)
        total = contact_count(contacts)
        sample = contact_page(contacts.order_by("display_name", "pk"), offset=0, limit=20)
        context = {"form": form, "total": total, "sample": sample, "next": back, "ids": selection["ids"] or []}
        return render(request, "contacts/contact_bulk_confirm.html", context)
    try:
        title = dict(form.ACTIONS)[action]
        done = contact_bulk_start(user=user, action=action, value=form.value(), title=title, **selection)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    if isinstance(done, Job):
        return redirect(done.get_absolute_url())
    messages.success(request, done.message())
    return redirect(back)


def _bulk_export(request: HttpRequest, form: BulkActionForm) -> HttpResponse:
    """Every matching contact: the list's export with the filter; ticked rows: those rows."""
    filter_form = form.filter_form()
    if form.cleaned_data.get("scope") == "all":
        return redirect(f"{reverse('contacts:contact-export-csv')}?{filter_form.query()}")
    contacts = filter_form.apply_sort(contact_list(user=request.user).filter(pk__in=form.cleaned_data["ids"]))
    return export_response(contacts, user=request.user, fmt="csv", filename="contacts.csv")


def _managed_view(request: HttpRequest, pk: int) -> SavedView:
    view = saved_view_get(user=request.user, pk=pk)
    if view is None:
        raise Http404("No such view.")
    return view


@login_required
@require_POST
def saved_view_create_view(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(safe_next(request, reverse("contacts:contact-list")))
    try:
        view = saved_view_create(
            user=request.user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
            project=form.project_object(),
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect(safe_next(request, reverse("contacts:contact-list")))
    messages.success(request, f"View {view.name} saved.")
    return redirect(view.get_absolute_url())


@login_required
@require_POST
def saved_view_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = _managed_view(request, pk)
    name = (request.POST.get("name") or "").strip()
    try:
        saved_view_update(view=view, user=request.user, name=name)
        messages.success(request, f"View renamed to {view.name}.")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect(view.get_absolute_url())


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = _managed_view(request, pk)
    try:
        saved_view_delete(view=view, user=request.user)
        messages.success(request, f"View {view.name} deleted.")
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
        return redirect(view.get_absolute_url())
    return redirect("contacts:contact-list")
