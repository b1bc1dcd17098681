"""HTML views of contacts: thin, through selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from contacts.selectors import contact_get, contact_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"contact_count": contact_list(user=request.user, prefetch=False).count()})


@login_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    contacts = contact_list(user=request.user, filters={"search": request.GET.get("q", "")})[:100]
    return render(request, "contacts/contact_list.html", {"contacts": contacts})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_get(user=request.user, pk=pk)
    if contact is None:
        raise Http404("No such contact.")
    return render(request, "contacts/contact_detail.html", {"contact": contact})
