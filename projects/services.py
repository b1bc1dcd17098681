"""Writes of projects and memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from projects.models import Membership, Project


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


def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add the user to the project with the role, or change their role."""
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    membership.full_clean()
    return membership


def membership_remove(*, project: Project, user: AbstractBaseUser) -> None:
    Membership.objects.filter(project=project, user=user).delete()
