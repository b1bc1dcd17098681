"""HTML views of projects: members and roles, and their contacts.

Any signed-in user sees the projects `project_list` gives them (others are a
404); only a project's managers and superusers change it or its members (a
403 for the others), and `project_can_create` says who starts new projects.
The page's web forms are contacts' own fragment (the `webform_panel` template tag).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from contacts.selectors import contact_list
from contacts.views.common import error_text
from projects.forms import InviteForm, MemberAddForm, MemberRoleForm, ProjectForm
from projects.models import Membership, Project
from projects.selectors import (
    project_can_create,
    project_can_manage,
    project_get,
    project_invitations,
    project_list_with_counts,
    project_members,
)
from projects.services import invitation_accept, membership_remove, membership_set, project_invite


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


@login_required
def invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite someone to the project by email; the page lists the invitations not yet accepted."""
    project = managed_project(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        try:
            invitation = project_invite(
                project=project,
                email=email,
                role=role,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error("email" if "email" in exc.message_dict else None, exc.messages)
        else:
            user = invitation.membership.user
            if user.is_active:
                messages.success(
                    request, f"{user.get_username()} is now {invitation.membership.get_role_display().lower()}."
                )
            else:
                messages.success(request, f"An invitation was sent to {email}.")
            return redirect("projects:member-invite", pk=project.pk)
    context = {"project": project, "form": form, "invitations": project_invitations(project=project)}
    return render(request, "projects/project_invite.html", context)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation email's link: the invited person chooses a password, and the account becomes active."""

    template_name = "projects/invitation_accept.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        invitation_accept(user=form.user)
        messages.success(self.request, "Your password is set: sign in with your email address and it.")
        return response
