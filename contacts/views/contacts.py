"""The dashboard and the contact pages: detail, editor, delete, notes, tags (the list is in `lists`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from contacts.forms import (
    ContactEditor,
    NoteForm,
    TagAddForm,
)
from contacts.models import Contact
from contacts.selectors import (
    company_people,
    company_suggest,
    contact_can_delete,
    contact_can_edit,
    contact_counts,
    contact_list,
    note_list,
)
from contacts.services import (
    company_for_name,
    contact_add_tags,
    contact_delete,
    note_create,
    split_tag_list,
)
from contacts.views.common import detail_context, error_text, is_htmx, visible_contact
from crm.ids import parse_id
from projects.selectors import project_list

COMPANY_NAME_MAX = Contact._meta.get_field("name").max_length


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
    people = company_people(user=request.user, company=contact).count() if contact.is_company else 0
    if request.method == "POST":
        contact_delete(contact=contact, user=request.user)
        messages.success(request, trashed_message(request, contact=contact, people=people))
        return redirect("contacts:contact-list")
    return render(request, "contacts/contact_confirm_delete.html", {"contact": contact, "people": people})


def trashed_message(request: HttpRequest, *, contact: Contact, people: int = 0) -> SafeString:
    """ "X was moved to the trash", with a link to the trash and an Undo that restores it at once."""
    kept = ""
    if people:
        kept = format_html(
            " Its {} {} keep{} the link, shown again once it is restored.",
            people,
            "person" if people == 1 else "people",
            "s" if people == 1 else "",
        )
    return format_html(
        '{} was moved to the <a href="{}">trash</a>.{} <form method="post" action="{}" class="inline-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="ids" value="{}">'
        '<input type="hidden" name="next" value="{}"><button type="submit" class="btn-small">Undo</button></form>',
        contact.display_name,
        reverse("contacts:trash-list"),
        kept,
        reverse("contacts:trash-restore"),
        get_token(request),
        contact.pk,
        contact.get_absolute_url(),
    )


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
def company_suggest_view(request: HttpRequest) -> JsonResponse:
    exclude = parse_id(request.GET.get("exclude", ""))
    companies = company_suggest(user=request.user, query=request.GET.get("q", ""), exclude=exclude)
    return JsonResponse(companies, safe=False)


@login_required
@require_POST
def company_create_view(request: HttpRequest) -> JsonResponse:
    """The picker's "Create company 'Acme'?": the visible company of that name, created if there is none."""
    name = request.POST.get("name", "").strip()
    if not name or len(name) > COMPANY_NAME_MAX or "\x00" in name:
        return JsonResponse({"error": f"A company name has 1 to {COMPANY_NAME_MAX} characters."}, status=400)
    try:
        company = company_for_name(user=request.user, name=name)
    except ValidationError as exc:
        return JsonResponse({"error": error_text(exc)}, status=400)
    return JsonResponse({"id": company.pk, "name": company.display_name}, status=201)
