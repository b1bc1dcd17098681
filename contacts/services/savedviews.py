"""Saved views of the contacts list: create, rename (or re-share), delete.

A view is personal (no project) or shared with a project the user belongs to. Its owner, the
managers of its project and superusers may rename and delete it (`saved_view_can_manage`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import SavedView
from contacts.selectors import saved_view_can_manage
from projects.models import Membership, Project

NOT_GIVEN = object()


def _check_project(*, user: AbstractBaseUser | AnonymousUser, project: Project | None) -> None:
    if project is None or user.is_superuser:
        return
    if not Membership.objects.filter(user_id=user.pk, project=project).exists():
        raise PermissionDenied(f"You may share views only with projects you belong to, not {project}.")


def _clean(view: SavedView) -> None:
    view.name = (view.name or "").strip()
    view.query = (view.query or "").lstrip("?")
    try:
        view.full_clean(exclude=["owner"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def saved_view_create(
    *, user: AbstractBaseUser | AnonymousUser, name: str, query: str, project: Project | None = None
) -> SavedView:
    """Keep the list's query string (filters and sort) under a name, for the user or a project."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to save views.")
    _check_project(user=user, project=project)
    view = SavedView(owner=user, name=name, query=query, project=project)
    _clean(view)
    view.save()
    return view


def saved_view_update(
    *,
    view: SavedView,
    user: AbstractBaseUser | AnonymousUser,
    name: str | None = None,
    query: str | None = None,
    project: Project | None | object = NOT_GIVEN,
) -> SavedView:
    """Rename a view, change its query or whom it is shared with; only what is given changes."""
    if not saved_view_can_manage(user=user, view=view):
        raise PermissionDenied("Only the view's owner or the project's managers may change it.")
    fields = ["updated_at"]
    if name is not None:
        view.name, fields = name, [*fields, "name"]
    if query is not None:
        view.query, fields = query, [*fields, "query"]
    if project is not NOT_GIVEN:
        _check_project(user=user, project=project)
        view.project, fields = project, [*fields, "project"]
    _clean(view)
    view.save(update_fields=fields)
    return view


def saved_view_delete(*, view: SavedView, user: AbstractBaseUser | AnonymousUser) -> None:
    if not saved_view_can_manage(user=user, view=view):
        raise PermissionDenied("Only the view's owner or the project's managers may delete it.")
    view.delete()
