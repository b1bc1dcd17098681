"""HTML views of projects: members and roles, contacts, and web forms to embed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts.forms import WebFormForm
from contacts.selectors import contact_list, webform_list
from contacts.services import webform_create
from contacts.views import error_text
from contacts.webforms import webform_snippet
from projects.models import Project
from projects.selectors import project_can_manage, project_get, project_list_with_counts


def visible_project(request: HttpRequest, pk: int) -> Project:
    project = project_get(user=request.user, key=pk)
    if project is None:
        raise Http404("No such project.")
    return project


def detail_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    contacts = contact_list(user=request.user, filters={"project": str(project.pk)})
    base_url = request.build_absolute_uri("/")
    return {
        "project": project,
        "members": project.memberships.select_related("user").order_by("role", "user__username"),
        "page": Paginator(contacts, 25).get_page(request.GET.get("page")),
        "webforms": [(wf, webform_snippet(wf, base_url=base_url)) for wf in webform_list(project=project)],
        "can_manage": project_can_manage(user=request.user, project=project),
        "webform_form": WebFormForm(),
    } | extra


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/project_list.html", {"projects": project_list_with_counts(user=request.user)})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "projects/project_detail.html", detail_context(request, visible_project(request, pk)))


@login_required
@require_POST
def webform_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    if not project_can_manage(user=request.user, project=project):
        raise Http404("No such page.")
    form = WebFormForm(request.POST)
    try:
        if form.is_valid():
            webform = webform_create(project=project, created_by=request.user, **form.cleaned_data)
            messages.success(request, f"Web form {webform.name} was created; copy its HTML below.")
            return redirect(project)
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
    return render(request, "projects/project_detail.html", detail_context(request, project, webform_form=form))
