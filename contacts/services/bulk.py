"""Bulk actions of the contacts list: one change applied to many contacts, set-based, chunk by chunk.

The contacts come as a queryset the caller read through `contact_list` (so the user's visibility
holds: a contact they cannot see is never touched). They are walked in id order, BULK_CHUNK at a
time; each chunk costs a fixed number of statements whatever its size: one SELECT of the ids with
the user's rights on each (computed in SQL), one UPDATE ... WHERE id IN (chunk) or one bulk insert
or delete of tag and project links, one UPDATE of `updated_at`, and one history insert
(`history_record_many`) per distinct previous value.

Permissions are checked per contact: contacts the user may see but not edit (for delete: not
delete) are skipped, never changed, and counted; the summary says how many. Refusals that concern
the whole action (a project the user may not add contacts to, an unknown user or stage) are raised
before anything changes. Each chunk is its own transaction: a job over a million contacts commits
as it goes, and its page shows how far it got.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import pluralize
from django.utils import timezone

from contacts.history import history_channel, history_record_many
from contacts.jobs import INLINE_LIMIT, job_start
from contacts.models import (
    ChangeAction,
    Channel,
    Contact,
    ContactStage,
    ContactType,
    Job,
    Tag,
    TaggedContact,
    Visibility,
)
from contacts.selectors import contact_annotate_rights, contact_count, contact_list_selection
from contacts.services.base import ErrorBag
from contacts.services.many import contact_delete_many
from contacts.services.tags import _clean_tags
from projects.models import Project
from projects.selectors import project_can_add_contacts, project_list

User = get_user_model()

BULK_CHUNK = 500

# The actions, with their summaries: {n} is "3 contacts", {target} what they were given.
ACTIONS = {
    "assign": "Assigned {n} to {target}.",
    "type": "Changed the type of {n} to {target}.",
    "stage": "Changed the stage of {n} to {target}.",
    "visibility": "Changed the visibility of {n} to {target}.",
    "tag": "Tagged {n} with {target}.",
    "untag": "Removed {target} from {n}.",
    "project": "Added {n} to {target}.",
    "unproject": "Removed {n} from {target}.",
    "delete": "Moved {n} to the trash.",
}
NO_TARGET = {"assign": "nobody", "type": "no type", "stage": "no stage"}
# The Contact column each field action sets, and the label its history entries carry.
FIELD_ACTIONS = {
    "assign": ("assigned_to_id", "Assigned to"),
    "type": ("contact_type_id", "Type"),
    "stage": ("stage_id", "Stage"),
    "visibility": ("visibility", "Visibility"),
}

AnyUser = AbstractBaseUser | AnonymousUser
Progress = Callable[[int], None]


@dataclass
class BulkOutcome:
    """What a bulk action did: contacts changed (or already as asked), and contacts skipped for rights."""

    action: str
    done: int = 0
    skipped: int = 0
    target: str = ""

    def message(self) -> str:
        target = self.target or NO_TARGET.get(self.action, "")
        text = ACTIONS[self.action].format(n=f"{self.done:,} contact{pluralize(self.done)}", target=target)
        if self.skipped:
            right = "delete" if self.action == "delete" else "edit"
            text += f" {self.skipped:,} skipped: you may not {right} them."
        return text

    def summary(self) -> dict[str, Any]:
        """The job page's summary: label → value."""
        return {"Action": self.message(), "Changed": self.done, "Skipped": self.skipped}


class _Plan:
    """One action, validated, ready to be applied chunk after chunk."""

    right = "can_edit"
    target = ""

    def columns(self) -> tuple[str, ...]:
        return ()

    def apply(self, *, user: AnyUser, rows: list[tuple]) -> None:
        raise NotImplementedError


class _FieldPlan(_Plan):
    """Set one column (assignee, type, stage, visibility) to one value."""

    def __init__(self, *, action: str, value: Any, label_of: Callable[[Iterable[Any]], dict[Any, str]]) -> None:
        self.column, self.label = FIELD_ACTIONS[action]
        self.value = value
        self.label_of = label_of
        self.target = label_of([value]).get(value, "")

    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def apply(self, *, user: AnyUser, rows: list[tuple]) -> None:
        changed = [(pk, old) for pk, old in rows if old != self.value]
        if not changed:
            return
        Contact.objects.filter(pk__in=[pk for pk, _ in changed]).update(
            **{self.column: self.value, "updated_at": timezone.now()}
        )
        labels = self.label_of({old for _, old in changed} | {self.value})
        by_old: dict[Hashable, list[int]] = defaultdict(list)
        for pk, old in changed:
            by_old[old].append(pk)
        for old, ids in by_old.items():
            change = {self.label: [labels.get(old, ""), labels.get(self.value, "")]}
            history_record_many(contact_ids=ids, user=user, action=ChangeAction.UPDATED, changes=change)


class _LinkPlan(_Plan):
    """Add or remove links (tags, or one project) between the chunk's contacts and some targets."""

    def __init__(
        self, *, model: Any, contact_field: str, target_field: str, targets: dict[int, str], label: str, add: bool
    ) -> None:
        self.model, self.contact_field, self.target_field = model, contact_field, target_field
        self.targets, self.label, self.add = targets, label, add
        self.target = ", ".join(targets.values())

    def apply(self, *, user: AnyUser, rows: list[tuple]) -> None:
        ids = [row[0] for row in rows]
        links = self.model.objects.filter(
            **{f"{self.contact_field}__in": ids, f"{self.target_field}__in": list(self.targets)}
        )
        existing = set(links.values_list(self.contact_field, self.target_field))
        touched: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for pk in ids:
            linked = {target for target in self.targets if ((pk, target) in existing) != self.add}
            if linked:
                touched[tuple(sorted(linked))].append(pk)
        if not touched:
            return
        if self.add:
            self.model.objects.bulk_create(
                [
                    self.model(**{self.contact_field: pk, self.target_field: target})
                    for targets, pks in touched.items()
                    for pk in pks
                    for target in targets
                ]
            )
        else:
            links.delete()
        changed = [pk for pks in touched.values() for pk in pks]
        Contact.objects.filter(pk__in=changed).update(updated_at=timezone.now())
        for targets, pks in touched.items():
            names = ", ".join(self.targets[t] for t in targets)
            change = {self.label: ["", names] if self.add else [names, ""]}
            history_record_many(contact_ids=pks, user=user, action=ChangeAction.UPDATED, changes=change)


class _DeletePlan(_Plan):
    """Delete the chunk's contacts through `contact_delete_many` (which decides what deleting means)."""

    right = "can_delete"

    def apply(self, *, user: AnyUser, rows: list[tuple]) -> None:
        contacts = Contact.objects.filter(pk__in=[row[0] for row in rows]).prefetch_related("projects", "access_list")
        contact_delete_many(contacts=contacts, user=user)


def _labels(model: Any, field: str = "name") -> Callable[[Iterable[Any]], dict[Any, str]]:
    def label_of(values: Iterable[Any]) -> dict[Any, str]:
        ids = [v for v in values if v is not None]
        return dict(model.objects.filter(pk__in=ids).values_list("pk", field)) if ids else {}

    return label_of


def _user_labels(values: Iterable[Any]) -> dict[Any, str]:
    ids = [v for v in values if v is not None]
    return {u.pk: u.get_full_name() or u.get_username() for u in User.objects.filter(pk__in=ids)} if ids else {}


def _visibility_labels(values: Iterable[Any]) -> dict[Any, str]:
    return {v: Visibility(v).label for v in values if v in Visibility.values}


def _exists(model: Any, pk: Any, name: str, **extra: Any) -> Any:
    if pk is not None and not model.objects.filter(pk=pk, **extra).exists():
        raise ValidationError({name: [f"Choose an existing {name.replace('_', ' ')}."]})
    return pk


def _tag_names(value: Any) -> list[str]:
    bag = ErrorBag()
    names = _clean_tags(value if isinstance(value, list | tuple) else [value or ""], bag)
    if not names and not bag.errors:
        bag.add("tags", ["Give a tag name."])
    bag.raise_if_any()
    return names


def _project(*, user: AnyUser, value: Any, adding: bool) -> Project:
    project = project_list(user=user).filter(pk=value).first() if value is not None else None
    if project is None:
        raise ValidationError({"project": ["Choose a project."]})
    if adding and not project_can_add_contacts(user=user, project=project):
        raise PermissionDenied(f"You may not add contacts to {project}.")
    return project


def contact_bulk_plan(*, user: AnyUser, action: str, value: Any) -> _Plan:
    """Validate an action and its value (ids and names, as a form or a job sends them), or raise
    ValidationError / PermissionDenied before anything is changed."""
    if action not in ACTIONS:
        raise ValidationError({"action": ["Choose an action."]})
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change contacts.")
    if action == "assign":
        value = _exists(User, value, "user", is_active=True)
        return _FieldPlan(action=action, value=value, label_of=_user_labels)
    if action == "type":
        return _FieldPlan(
            action=action, value=_exists(ContactType, value, "contact_type"), label_of=_labels(ContactType)
        )
    if action == "stage":
        return _FieldPlan(action=action, value=_exists(ContactStage, value, "stage"), label_of=_labels(ContactStage))
    if action == "visibility":
        if value not in Visibility.values:
            raise ValidationError({"visibility": [f"Visibility must be one of {', '.join(Visibility.values)}."]})
        return _FieldPlan(action=action, value=value, label_of=_visibility_labels)
    if action in ("tag", "untag"):
        adding, tags = action == "tag", {}
        for name in _tag_names(value):
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None and adding:
                tag = Tag.objects.create(name=name)
            if tag is not None:
                tags[tag.pk] = tag.name
        return _LinkPlan(
            model=TaggedContact,
            contact_field="content_object_id",
            target_field="tag_id",
            targets=tags,
            label="Tags",
            add=adding,
        )
    if action in ("project", "unproject"):
        adding = action == "project"
        project = _project(user=user, value=value, adding=adding)
        return _LinkPlan(
            model=Contact.projects.through,
            contact_field="contact_id",
            target_field="project_id",
            targets={project.pk: project.name},
            label="Projects",
            add=adding,
        )
    return _DeletePlan()


def contact_bulk_apply(
    *,
    user: AnyUser,
    contacts: QuerySet[Contact],
    action: str,
    value: Any = None,
    progress: Progress | None = None,
) -> BulkOutcome:
    """Apply `action` with `value` to every contact of `contacts` the user has the right to change.

    `value` by action: assign, type, stage: an id or None (clears); visibility: its code; tag,
    untag: a list of tag names; project, unproject: a project id; delete: nothing. `progress`
    is called after each chunk with how many contacts were gone through.
    """
    plan = contact_bulk_plan(user=user, action=action, value=value)
    outcome = BulkOutcome(action=action, target=plan.target)
    ids = contact_annotate_rights(contacts.prefetch_related(None).select_related(None), user=user)
    last = 0
    while True:
        with transaction.atomic():
            chunk = list(
                ids.filter(pk__gt=last).order_by("pk").values_list("pk", plan.right, *plan.columns())[:BULK_CHUNK]
            )
            if not chunk:
                break
            last = chunk[-1][0]
            allowed = [(row[0], *row[2:]) for row in chunk if row[1]]
            outcome.skipped += len(chunk) - len(allowed)
            outcome.done += len(allowed)
            if allowed:
                plan.apply(user=user, rows=allowed)
        if progress is not None:
            progress(outcome.done + outcome.skipped)
        if len(chunk) < BULK_CHUNK:
            break
    return outcome


def contact_bulk_start(
    *,
    user: AnyUser,
    action: str,
    value: Any = None,
    filters: dict[str, Any] | None = None,
    ids: list[int] | None = None,
    title: str = "",
    channel: str = Channel.WEB,
) -> BulkOutcome | Job:
    """Run a bulk action on the selection (every visible contact matching `filters`, or the visible
    ones among `ids`): at once when it holds at most INLINE_LIMIT contacts, else as a background job.

    The action is validated first either way, so a refusal never becomes a failed job.
    """
    from contacts.tasks import contacts_bulk  # the task calls back into this module

    contact_bulk_plan(user=user, action=action, value=value)
    contacts = contact_list_selection(user=user, filters=filters, ids=ids)
    total = contact_count(contacts)
    if total > INLINE_LIMIT:
        params = {"action": action, "value": value, "filters": filters or {}, "ids": ids, "channel": channel}
        title = f"{title or action}: {total:,} contacts"
        return job_start(user=user, kind=Job.Kind.BULK, title=title, task=contacts_bulk, params=params)
    with history_channel(channel):
        return contact_bulk_apply(user=user, contacts=contacts, action=action, value=value)
