"""The contacts list page: the rights of many contacts in SQL (bulk actions), the projects with the
user's role in each and saved views (its menus), and the selection a bulk action applies to."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from contacts.models import (
    Contact,
    ContactStage,
    ContactType,
    CustomField,
    SavedView,
    Tag,
    TaggedContact,
)
from contacts.selectors.rights import _contact_rights_expressions
from contacts.selectors.visibility import AnyUser, contact_list, contact_visibility_q
from crm.ids import parse_id
from projects.models import Membership, Project
from projects.selectors import member_project_ids, project_list

# The contacts list: the rights of many contacts in SQL (bulk actions), the projects with the
# user's role in each (its menus) and saved views.


def contact_annotate_rights(qs: QuerySet[Contact], *, user: AnyUser) -> QuerySet[Contact]:
    """`qs` with `can_edit` and `can_delete` (as `contact_rights` decides) computed in its own query."""
    rights = _contact_rights_expressions(user=user, ref="pk", field=lambda name: name)
    return qs.annotate(can_edit=rights["edit"], can_delete=rights["delete"])


def project_list_with_role(*, user: AnyUser) -> list[Project]:
    """The projects the user may see, each with `role`: the user's role in it (None when not a
    member; manager for superusers), in one query."""
    if not user.is_authenticated:
        return []
    role = Membership.objects.filter(user_id=user.pk, project_id=OuterRef("pk")).values("role")[:1]
    projects = list(project_list(user=user).annotate(role=Subquery(role)))
    if user.is_superuser:
        for project in projects:
            project.role = Membership.Role.MANAGER
    return projects


def saved_view_list(*, user: AnyUser) -> QuerySet[SavedView]:
    """The saved views the user sees: their own and those shared with a project they belong to
    (every shared one, for superusers), by name, each with `can_manage` (see `saved_view_can_manage`)."""
    if not user.is_authenticated:
        return SavedView.objects.none()
    if user.is_superuser:
        views = SavedView.objects.filter(Q(owner_id=user.pk) | Q(project__isnull=False))
        return views.annotate(can_manage=Value(True)).select_related("project")
    member = member_project_ids(user=user)
    managing = Membership.objects.filter(
        user_id=user.pk, project_id=OuterRef("project_id"), role=Membership.Role.MANAGER
    )
    manage = Q(owner_id=user.pk) | Q(Exists(managing))
    return (
        SavedView.objects.filter(Q(owner_id=user.pk) | Q(project_id__in=member))
        .annotate(can_manage=ExpressionWrapper(manage, output_field=BooleanField()))
        .select_related("project")
    )


def saved_view_get(*, user: AnyUser, pk: Any) -> SavedView | None:
    """One saved view the user sees, or None."""
    pk = parse_id(pk)
    return saved_view_list(user=user).filter(pk=pk).first() if pk is not None else None


@dataclass
class ListMenus:
    """What the contacts list's menus offer the user (see `list_menus`)."""

    tags: list[str]
    projects: list[Project]  # each with `role`, as `project_list_with_role`
    types: list[ContactType]
    stages: list[ContactStage]
    users: list[AbstractBaseUser]  # active ones, by user name
    custom_fields: list[CustomField]  # all but headings, in their order
    saved_views: list[SavedView]  # as `saved_view_list`, each with `can_manage` and its project's name


# The rows of `list_menus`: what each arm of its one UNION ALL puts in its generic columns.
_MENU_COLUMNS = ("menu", "pk", "label", "text1", "text2", "text3", "text4", "number1", "number2")


_TYPE, _STAGE, _USER, _TAG, _PROJECT, _FIELD, _VIEW = range(7)


def _menu_rows(queryset: QuerySet, menu: int, label: Any, *texts: Any, numbers: tuple[Any, ...] = ()) -> QuerySet:
    """`queryset` as rows of `_MENU_COLUMNS`: blank texts and zero numbers where an arm has none."""
    text = [Cast(t, CharField()) if not isinstance(t, str) else Cast(F(t), CharField()) for t in texts]
    text += [Value("", output_field=CharField())] * (4 - len(text))
    number = [*numbers, *[Value(0)] * (2 - len(numbers))]
    values = dict(zip(_MENU_COLUMNS, [Value(menu), F("pk"), Cast(label, CharField()), *text, *number], strict=True))
    return (
        queryset.order_by()
        .annotate(**{f"menu_{k}": v for k, v in values.items()})
        .values_list(*(f"menu_{k}" for k in _MENU_COLUMNS))
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def list_menus(*, user: AnyUser) -> ListMenus:
    """The contacts list's menus in one query: the tags on contacts the user may see, the projects
    they see (with their role), contact types, stages, active users, custom fields and the saved
    views they see. The list page then costs the same few queries whatever its menus hold."""
    if not user.is_authenticated:
        return ListMenus([], [], [], [], [], [], [])
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    used = TaggedContact.objects.filter(tag_id=OuterRef("pk"), content_object_id__in=visible)
    role = Membership.objects.filter(user_id=user.pk, project_id=OuterRef("pk")).values("role")[:1]
    arms = [
        _menu_rows(ContactType.objects.all(), _TYPE, F("name"), "description", "color", "code",
                   numbers=(F("position"),)),
        _menu_rows(ContactStage.objects.all(), _STAGE, F("name"), "description", "color", numbers=(F("position"),)),
        _menu_rows(get_user_model().objects.filter(is_active=True), _USER, F("username"), "first_name", "last_name"),
        _menu_rows(Tag.objects.filter(Exists(used)), _TAG, F("name")),
        _menu_rows(project_list(user=user), _PROJECT, F("name"), "identifier",
                   Coalesce(Subquery(role), Value("")), numbers=(_flag(Q(is_public=True)),)),
        _menu_rows(CustomField.objects.exclude(field_format=CustomField.Format.HEADING), _FIELD, F("name"),
                   "field_format", "choices", "default", "applies_to",
                   numbers=(F("position"), _flag(Q(is_required=True)))),
        _menu_rows(saved_view_list(user=user), _VIEW, F("name"), "query", Coalesce(F("project__name"), Value("")),
                   numbers=(Coalesce(F("project_id"), Value(0)), _flag(Q(can_manage=True)))),
    ]  # fmt: skip
    rows: dict[int, list[tuple[Any, ...]]] = {menu: [] for menu in range(7)}
    # Ordered by the database (its collation, as each menu's own query orders); the menus kept
    # in their position are then sorted by it, which keeps that order among equal positions.
    for row in arms[0].union(*arms[1:], all=True).order_by("menu_menu", "menu_label", "menu_pk"):
        rows[row[0]].append(row[1:])
    return ListMenus(
        tags=[label for _, label, *_ in rows[_TAG]],
        projects=_menu_projects(rows[_PROJECT], superuser=user.is_superuser),
        types=sorted(
            (ContactType(pk=pk, name=name, description=d, color=c, code=code, position=n)
             for pk, name, d, c, code, _, n, _ in rows[_TYPE]),
            key=lambda t: t.position,
        ),
        stages=sorted(
            (ContactStage(pk=pk, name=name, description=d, color=c, position=n)
             for pk, name, d, c, _, _, n, _ in rows[_STAGE]),
            key=lambda s: s.position,
        ),
        users=[
            get_user_model()(pk=pk, username=name, first_name=first, last_name=last, is_active=True)
            for pk, name, first, last, *_ in rows[_USER]
        ],
        custom_fields=sorted(
            (CustomField(pk=pk, name=name, field_format=fmt, choices=json.loads(choices) if choices else [],
                         default=default, applies_to=applies, position=position, is_required=bool(required))
             for pk, name, fmt, choices, default, applies, position, required in rows[_FIELD]),
            key=lambda f: (f.position, f.pk),
        ),
        saved_views=_menu_views(rows[_VIEW]),
    )  # fmt: skip


def _menu_projects(rows: list[tuple[Any, ...]], *, superuser: bool) -> list[Project]:
    projects = []
    for pk, name, identifier, role, _, _, is_public, _ in rows:
        project = Project(pk=pk, name=name, identifier=identifier, is_public=bool(is_public))
        project.role = Membership.Role.MANAGER if superuser else (role or None)
        projects.append(project)
    return projects


def _menu_views(rows: list[tuple[Any, ...]]) -> list[SavedView]:
    views = []
    for pk, name, query, project_name, _, _, project_id, can_manage in rows:
        view = SavedView(pk=pk, name=name, query=query, project_id=project_id or None)
        view.project = Project(pk=project_id, name=project_name) if project_id else None
        view.can_manage = bool(can_manage)
        views.append(view)
    return views


def saved_view_can_manage(*, user: AnyUser, view: SavedView) -> bool:
    """Rename and delete: the view's owner, managers of the project it is shared with, superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or view.owner_id == user.pk:
        return True
    if view.project_id is None:
        return False
    return Membership.objects.filter(user_id=user.pk, project_id=view.project_id, role=Membership.Role.MANAGER).exists()


def contact_list_selection(
    *, user: AnyUser, filters: Mapping[str, Any] | None = None, ids: Iterable[Any] | None = None
) -> QuerySet[Contact]:
    """The contacts a bulk action applies to: every visible one matching `filters`, or, with `ids`,
    the visible ones among those ids (malformed or out-of-range ids are ignored)."""
    qs = contact_list(user=user, filters=filters or None, prefetch=False)
    if ids is not None:
        qs = qs.filter(pk__in=[pk for pk in map(parse_id, ids) if pk is not None])
    return qs
