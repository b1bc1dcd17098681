"""Reads of projects, aware of who is asking."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from crm.ids import parse_id
from crm.prepared import PreparedQuery
from projects.models import Membership, Project

WRITE_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)


def project_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects the user may see: public ones and those they belong to (all, for superusers)."""
    qs = Project.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(_visible_to(user.pk))
    return qs


def _visible_to(user_id: Any) -> Q:
    """The projects a user who is no superuser may see: the public ones and their own."""
    return Q(is_public=True) | Q(pk__in=Membership.objects.filter(user_id=user_id).values("project_id"))


def project_list_with_counts(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    return project_list(user=user).annotate(member_count=Count("memberships", distinct=True))


def member_project_ids(*, user: AbstractBaseUser, roles: tuple[str, ...] | None = None) -> QuerySet:
    """A subquery of the ids of the projects the user is a member of (optionally with given roles)."""
    qs = Membership.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.values("project_id")


def project_list_writable(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects the user may add contacts to (see `project_can_add_contacts`)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(pk__in=member_project_ids(user=user, roles=WRITE_ROLES))


def _visible_project(field: str, *, every: bool) -> PreparedQuery:
    """The project whose `field` is a value, among the projects a user may see (`project_list`),
    or among all of them (`every`, for superusers)."""
    if every:
        return PreparedQuery(lambda key: Project.objects.filter(**{field: key})[:1], _KEY_MARKS[field])

    return PreparedQuery(
        lambda user_id, key: Project.objects.filter(_visible_to(user_id), **{field: key})[:1], -1, _KEY_MARKS[field]
    )


# The reads of one project by id or identifier, and of a user's role in it, start every request
# of a dialect whose routes live under a project: each is compiled once (crm.prepared) and run
# afresh on every request, so a renamed project or a removed membership shows at once.
_KEY_MARKS: dict[str, Any] = {"pk": -2, "identifier": "\x00identifier"}
_PROJECT_BY = {(field, every): _visible_project(field, every=every) for field in _KEY_MARKS for every in (False, True)}
_ROLE = PreparedQuery(
    lambda user_id, project_id: (
        Membership.objects.filter(user_id=user_id, project_id=project_id)
        .order_by()  # one membership at most per user and project
        .values_list("role")[:1]
    ),
    -1,
    -2,
)


def project_get(*, user: AbstractBaseUser | AnonymousUser, key: int | str) -> Project | None:
    """A project visible to the user by numeric id or identifier, or None."""
    if not user.is_authenticated:
        return None
    key = str(key).strip()
    if "\x00" in key:  # no identifier holds one, and PostgreSQL refuses to compare with it
        return None
    if key.isascii() and key.isdigit():
        field, value = "pk", parse_id(key)
        if value is None:
            return None
    else:
        field, value = "identifier", key
    if user.is_superuser:
        return _PROJECT_BY[field, True].first(value)
    return _PROJECT_BY[field, False].first(user.pk, value)


def project_role(*, user: AbstractBaseUser | AnonymousUser, project: Project) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Membership.Role.MANAGER
    found = _ROLE.rows(user.pk, project.pk)
    return found[0][0] if found else None


def project_can_add_contacts(*, user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    return project_role(user=user, project=project) in WRITE_ROLES


def project_can_manage(*, user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    return project_role(user=user, project=project) == Membership.Role.MANAGER


def project_can_create(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers, holders of the `projects.add_project` permission and managers of a project create projects."""
    if not user.is_authenticated:
        return False
    if user.has_perm("projects.add_project"):
        return True
    return Membership.objects.filter(user=user, role=Membership.Role.MANAGER).exists()


def project_members(*, project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("role", "user__username")


def project_invitations(*, project: Project) -> QuerySet[Membership]:
    """Members invited by email who have not yet chosen their password (their accounts are inactive)."""
    pending = project.memberships.filter(user__is_active=False, user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return pending.select_related("user").order_by("-pk")
