"""HTML views of firms: the companies, their people and their ways to reach them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts.models import Contact
from contacts.selectors import company_people, contact_can_delete, contact_get
from contacts.views.common import error_text
from firms.forms import FirmMergeForm
from firms.selectors import firm_list
from firms.services import firm_merge


def visible_firm(request: HttpRequest, pk: int) -> Contact:
    firm = contact_get(user=request.user, pk=pk)
    if firm is None or not firm.is_company:
        raise Http404("No such firm.")
    return firm


@login_required
def firm_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    firms = firm_list(user=request.user, search=query).order_by("display_name", "pk")
    page = Paginator(firms, 25).get_page(request.GET.get("page"))
    template = "firms/firm_list_results.html" if request.headers.get("HX-Request") else "firms/firm_list.html"
    return render(request, template, {"page": page, "q": query})


@login_required
def firm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    firm = visible_firm(request, pk)
    context = {
        "firm": firm,
        "people": company_people(user=request.user, company=firm),
        "merge_form": FirmMergeForm(user=request.user, source=firm),
        "can_merge": contact_can_delete(user=request.user, contact=firm),
    }
    return render(request, "firms/firm_detail.html", context)


@login_required
@require_POST
def firm_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    firm = visible_firm(request, pk)
    form = FirmMergeForm(request.POST, user=request.user, source=firm)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect("firms:firm-detail", pk=firm.pk)
    try:
        target = firm_merge(source=firm, target=form.cleaned_data["target"], user=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("firms:firm-detail", pk=firm.pk)
    messages.success(request, f"{firm} was merged into {target}.")
    return redirect("firms:firm-detail", pk=target.pk)
