"""HTML views of projects: members and roles, and their contacts.

Any signed-in user sees the projects `project_list` gives them (others are a
404); only a project's managers and superusers change it or its members (a
403 for the others), and `project_can_create` says who starts new projects.
The page's web forms are contacts' own fragment (the `webform_panel` template tag).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from contacts.selectors import contact_list
from contacts.views.common import error_text
from projects.forms import MemberAddForm, MemberRoleForm, ProjectForm
from projects.models import Membership, Project
from projects.selectors import (
    project_can_create,
    project_can_manage,
    project_get,
    project_list_with_counts,
    project_members,
)
from projects.services import membership_remove, membership_set


def visible_project(request: HttpRequest, pk: int) -> Project:
    project = project_get(user=request.user, key=pk)
    if project is None:
        raise Http404("No such project.")
    return project


def managed_project(request: HttpRequest, pk: int) -> Project:
    project = visible_project(request, pk)
    if not project_can_manage(user=request.user, project=project):
        raise PermissionDenied("Only the project's managers may change it.")
    return project


def membership_of(project: Project, user_id: int) -> Membership:
    return get_object_or_404(project.memberships.select_related("user"), user_id=user_id)


def detail_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    contacts = contact_list(user=request.user, filters={"project": str(project.pk)})
    return {
        "project": project,
        "members": project_members(project=project),
        "page": Paginator(contacts, 25).get_page(request.GET.get("page")),
        "can_manage": project_can_manage(user=request.user, project=project),
        "member_form": MemberAddForm(),
        "roles": Membership.Role.choices,
    } | extra


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    context = {"projects": project_list_with_counts(user=request.user)}
    context["can_create"] = project_can_create(user=request.user)
    return render(request, "projects/project_list.html", context)


@login_required
def project_create_view(request: HttpRequest) -> HttpResponse:
    if not project_can_create(user=request.user):
        raise PermissionDenied("You may not create projects.")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (project := form.save_as(user=request.user)):
        messages.success(request, f"Project {project.name} was created; you manage it.")
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form})


@login_required
def project_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = managed_project(request, pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid() and (project := form.save_as(user=request.user)):
        messages.success(request, f"Project {project.name} was saved.")
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": form.stored})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "projects/project_detail.html", detail_context(request, visible_project(request, pk)))


@login_required
@require_POST
def member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = managed_project(request, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid() and (membership := form.save_to(project)):
        messages.success(request, f"{membership.user.get_username()} is now {membership.get_role_display().lower()}.")
        return redirect(project)
    context = detail_context(request, project, member_form=form)
    return render(request, "projects/project_detail.html", context, status=400)


@login_required
@require_POST
def member_update_view(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    project = managed_project(request, pk)
    membership = membership_of(project, user_id)
    form = MemberRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose a role.")
        membership = membership_set(project=project, user=membership.user, role=form.cleaned_data["role"])
        messages.success(request, f"{membership.user.get_username()} is now {membership.get_role_display().lower()}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(project)


@login_required
@require_POST
def member_remove_view(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    project = managed_project(request, pk)
    membership = membership_of(project, user_id)
    try:
        membership_remove(project=project, user=membership.user)
        messages.success(request, f"{membership.user.get_username()} was removed from {project.name}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(project)
