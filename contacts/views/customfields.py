"""Custom field definitions, for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from contacts.forms import (
    CustomFieldForm,
)
from contacts.models import CustomField


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
