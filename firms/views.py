"""HTML views of firms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from contacts.selectors import company_people, contact_get
from firms.selectors import firm_list


@login_required
def firm_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "firms/firm_list.html", {"firms": firm_list(user=request.user)[:100]})


@login_required
def firm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    firm = contact_get(user=request.user, pk=pk)
    if firm is None or not firm.is_company:
        raise Http404("No such firm.")
    return render(
        request, "firms/firm_detail.html", {"firm": firm, "people": company_people(user=request.user, company=firm)}
    )
