"""Writes of projects and memberships.

A project that has a manager always keeps one: the last manager can be neither
removed nor given another role, so someone can always manage its members.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import Membership, Project

LAST_MANAGER = "A project needs at least one manager: make someone else manager first."


@transaction.atomic
def project_create(
    *,
    name: str,
    identifier: str,
    description: str = "",
    is_public: bool = False,
    creator: AbstractBaseUser | None = None,
) -> Project:
    """Create a project; its creator becomes its first manager."""
    project = Project(name=name, identifier=identifier, description=description, is_public=is_public)
    project.full_clean()
    project.save()
    if creator is not None:
        membership_set(project=project, user=creator, role=Membership.Role.MANAGER)
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: object) -> Project:
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


def _require_other_manager(*, project: Project, user: AbstractBaseUser) -> None:
    """Refuse to take the manager role from the project's last manager (rows locked until commit)."""
    managers = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Membership.Role.MANAGER)
        .values_list("user_id", flat=True)
    )
    if managers == [user.pk]:
        raise ValidationError({"role": LAST_MANAGER})


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add the user to the project with the role, or change their role."""
    membership = Membership.objects.filter(project=project, user=user).first() or Membership(project=project, user=user)
    if membership.pk and membership.role == Membership.Role.MANAGER and role != Membership.Role.MANAGER:
        _require_other_manager(project=project, user=user)
    membership.role = role
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user: AbstractBaseUser) -> None:
    """Take the user out of the project (never its last manager)."""
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        return
    if membership.role == Membership.Role.MANAGER:
        _require_other_manager(project=project, user=user)
    membership.delete()
