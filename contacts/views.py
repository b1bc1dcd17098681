"""HTML views of contacts, tags, custom fields and the account page.

Thin adapters: reads through `contacts.selectors` (so a contact the user may
not see is a 404, never a leak), writes through `contacts.services`. A request
sent by htmx (header `HX-Request`) gets the fragment it swaps in place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from contacts.exporters import export_response
from contacts.forms import (
    PAGE_SIZES,
    BulkActionForm,
    ContactEditor,
    ContactFilterForm,
    CustomFieldForm,
    NoteForm,
    TagAddForm,
    TagMergeForm,
    TagRenameForm,
)
from contacts.models import Contact, CustomField
from contacts.selectors import (
    ContactPages,
    company_people,
    company_suggest,
    contact_can_delete,
    contact_can_edit,
    contact_counts,
    contact_get,
    contact_list,
    note_list,
    tag_can_manage,
    tag_counts,
    tag_names,
)
from contacts.services import (
    apikey_get_or_create,
    apikey_reset,
    contact_add_tags,
    contact_delete,
    note_create,
    split_tag_list,
    tag_merge,
    tag_rename,
)
from crm.ids import parse_id
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


def detail_context(request: HttpRequest, contact: Contact, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "contact": contact,
        "notes": note_list(user=user, contact=contact)[:50],
        "people": company_people(user=user, company=contact) if contact.is_company else [],
        "projects": project_list(user=user).filter(contacts=contact),
        "access_list": contact.access_list.order_by("username"),
        "note_form": NoteForm(),
        "tag_form": TagAddForm(),
        "can_edit": contact_can_edit(user=user, contact=contact),
        "can_delete": contact_can_delete(user=user, contact=contact),
    } | extra


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "counts": contact_counts(user=user) | {"projects": project_list(user=user).count()},
        "recent_contacts": contact_list(user=user, order_by=["-updated_at"])[:8],
        "recent_notes": note_list(user=user)[:8],
        "assigned": contact_list(user=user, filters={"assigned_to": user.pk}, order_by=["-updated_at"])[:8],
    }
    return render(request, "home.html", context)


@login_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    filter_form = ContactFilterForm(request.GET, user=request.user)
    contacts = contact_list(user=request.user, filters=filter_form.filters(), order_by=filter_form.order_by())
    page = Paginator(ContactPages(contacts), filter_form.page_size()).get_page(request.GET.get("page"))
    context = {"filter_form": filter_form, "page": page, "page_sizes": PAGE_SIZES}
    context["bulk_form"] = BulkActionForm(user=request.user)
    template = "contacts/contact_list_results.html" if is_htmx(request) else "contacts/contact_list.html"
    return render(request, template, context)


@login_required
def contact_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filter_form = ContactFilterForm(request.GET, user=request.user)
    contacts = contact_list(user=request.user, filters=filter_form.filters(), order_by=filter_form.order_by())
    return export_response(contacts, fmt=fmt, filename=f"contacts.{fmt}")


@login_required
@require_POST
def contact_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST, user=request.user)
    if form.is_valid() and form.needs_confirmation():
        contacts = contact_list(user=request.user, prefetch=False).filter(pk__in=form.cleaned_data["ids"])
        back = safe_next(request, reverse("contacts:contact-list"))
        return render(request, "contacts/contact_bulk_confirm.html", {"contacts": contacts, "next": back})
    if form.is_valid():
        try:
            messages.success(request, form.perform(user=request.user))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, form.error_text())
    return redirect(safe_next(request, reverse("contacts:contact-list")))


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    return render(request, "contacts/contact_detail.html", detail_context(request, contact))


@login_required
def contact_create_view(request: HttpRequest) -> HttpResponse:
    is_company = request.GET.get("kind") == "company"
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    initial = {"company": request.GET.get("company")}
    editor = ContactEditor(user=request.user, is_company=is_company, data=data, files=files, initial=initial)
    if data is not None and editor.is_valid() and (contact := editor.save()) is not None:
        messages.success(request, f"{contact} was created.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"editor": editor})


@login_required
def contact_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    if not contact_can_edit(user=request.user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    editor = ContactEditor(user=request.user, contact=contact, data=data, files=files)
    if data is not None and editor.is_valid() and editor.save() is not None:
        messages.success(request, f"{contact} was saved.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"editor": editor, "contact": contact})


@login_required
def contact_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    if not contact_can_delete(user=request.user, contact=contact):
        raise PermissionDenied("You may not delete this contact.")
    if request.method == "POST":
        contact_delete(contact=contact, user=request.user)
        messages.success(request, f"{contact} was deleted.")
        return redirect("contacts:contact-list")
    return render(request, "contacts/contact_confirm_delete.html", {"contact": contact})


@login_required
@require_POST
def note_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note_create(contact=contact, user=request.user, **form.cleaned_data)
        messages.success(request, "Note added.")
        form = NoteForm()
    template = "contacts/note_list.html" if is_htmx(request) else "contacts/contact_detail.html"
    return render(request, template, detail_context(request, contact, note_form=form))


@login_required
@require_POST
def contact_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = visible_contact(request, pk)
    form = TagAddForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["tags"])
        contact_add_tags(contact=contact, user=request.user, tags=split_tag_list(form.cleaned_data["tags"]))
        messages.success(request, "Tags added.")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect(contact)


@login_required
def tag_list_view(request: HttpRequest) -> HttpResponse:
    tags = tag_counts(user=request.user)
    context = {"tags": tags, "can_manage": tag_can_manage(user=request.user)}
    context["merge_form"] = TagMergeForm(user=request.user)
    return render(request, "contacts/tag_list.html", context)


def managed_tag(request: HttpRequest, pk: int) -> Any:
    if not tag_can_manage(user=request.user):
        raise Http404("No such tag.")
    return get_object_or_404(tag_counts(user=request.user), pk=pk)


@login_required
@require_POST
def tag_update(request: HttpRequest, pk: int) -> HttpResponse:
    tag = managed_tag(request, pk)
    form = TagRenameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        tag = tag_rename(tag=tag, name=form.cleaned_data["name"], color=form.cleaned_data["color"] or None)
        messages.success(request, f"Tag saved as {tag.name}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("tags:tag-list")


@login_required
@require_POST
def tag_merge_view(request: HttpRequest) -> HttpResponse:
    if not tag_can_manage(user=request.user):
        raise Http404("No such page.")
    form = TagMergeForm(request.POST, user=request.user)
    if form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        tag_merge(source=source, target=target)
        messages.success(request, f"{source.name} was merged into {target.name}.")
    else:
        messages.error(request, "Choose two different tags to merge.")
    return redirect("tags:tag-list")


@login_required
def tag_suggest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(tag_names(user=request.user, prefix=request.GET.get("q", "").strip()), safe=False)


@login_required
def company_suggest_view(request: HttpRequest) -> JsonResponse:
    exclude = parse_id(request.GET.get("exclude", ""))
    companies = company_suggest(user=request.user, query=request.GET.get("q", ""), exclude=exclude)
    return JsonResponse(companies, safe=False)


@login_required
def apikey_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/apikey_detail.html", {"api_key": apikey_get_or_create(user=request.user)})


@login_required
@require_POST
def apikey_reset_view(request: HttpRequest) -> HttpResponse:
    apikey_reset(user=request.user)
    messages.success(request, "Your API key was reset. Scripts using the old key must be updated.")
    return redirect("accounts:apikey-detail")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change (old password, new one twice, validators), back to the account page."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:apikey-detail")
    success_message = "Your password was changed."


def staff_only(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404("No such page.")


@login_required
def customfield_list(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    return render(request, "contacts/customfield_list.html", {"fields": CustomField.objects.all()})


@login_required
def customfield_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff_only(request)
    field = get_object_or_404(CustomField, pk=pk) if pk is not None else CustomField()
    form = CustomFieldForm(request.POST or None, instance=field)
    if request.method == "POST" and form.is_valid():
        try:
            field = form.save_as(user=request.user)
            messages.success(request, f"Custom field {field.name} was saved.")
            return redirect("contacts:customfield-list")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "contacts/customfield_form.html", {"form": form, "field": field})


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a sign-in refused because of repeated failures (UI and admin).

    An API view has already answered in its dialect's own format (a 429): that answer is kept.
    """
    if original_response is not None and original_response.status_code == 429:
        return original_response
    seconds = lockout_seconds()
    response = render(request, "registration/locked_out.html", {"minutes": -(-seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_seconds() -> int:
    """How long a locked-out account or address waits before it may try a password again."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())
