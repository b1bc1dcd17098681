"""Editing and deleting a note on a contact's timeline (its author, staff, the contact's project managers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from contacts.forms import NoteForm
from contacts.models import Note
from contacts.selectors import note_can_change, note_get
from contacts.services import note_delete, note_update


def changeable_note(request: HttpRequest, pk: int) -> Note:
    note = note_get(user=request.user, pk=pk)
    if note is None:
        raise Http404("No such note.")
    if not note_can_change(user=request.user, note=note):
        raise PermissionDenied("Only the author, staff and the contact's project managers may change this note.")
    return note


@login_required
def note_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = changeable_note(request, pk)
    initial = {"kind": note.kind, "subject": note.subject, "content": note.content, "created_at": note.created_at}
    form = NoteForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            note_update(note=note, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Note saved.")
            return redirect(f"{note.contact.get_absolute_url()}#notes")
    return render(request, "contacts/note_form.html", {"form": form, "note": note, "contact": note.contact})


@login_required
def note_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = changeable_note(request, pk)
    if request.method == "POST":
        note_delete(note=note, user=request.user)
        messages.success(request, "Note deleted.")
        return redirect(f"{note.contact.get_absolute_url()}#notes")
    return render(request, "contacts/note_confirm_delete.html", {"note": note, "contact": note.contact})
