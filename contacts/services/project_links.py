"""Contacts joining and leaving projects, one contact or several at once, each change in the
contacts' history."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from contacts.history import PROJECTS, Changes, history_record, history_record_each, names_text, text_diff
from contacts.models import ChangeAction, Contact
from contacts.selectors import contact_can_edit
from contacts.services.base import _require_rights
from projects.models import Project
from projects.selectors import project_can_add_contacts


@transaction.atomic
def contact_link_project(*, contact: Contact, project: Project, user: AbstractBaseUser) -> None:
    if not contact_can_edit(user=user, contact=contact) or not project_can_add_contacts(user=user, project=project):
        raise PermissionDenied("You may not add this contact to that project.")
    before = project_names_by_contact([contact.pk])
    contact.projects.add(project)
    _record_project_changes(before=before, user=user, added=project, single=contact)


@transaction.atomic
def contact_unlink_project(
    *, contact: Contact, project: Project, user: AbstractBaseUser, keep_one: bool = False
) -> None:
    """Take a contact out of a project; with `keep_one`, never out of its last one (Redmine's rule)."""
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not change this contact's projects.")
    if keep_one and not contact.projects.exclude(pk=project.pk).exists():
        raise PermissionDenied("A contact must stay in at least one project.")
    before = project_names_by_contact([contact.pk])
    contact.projects.remove(project)
    _record_project_changes(before=before, user=user, removed=project, single=contact)


def project_names_by_contact(contact_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the projects each contact is in, in one query (the history's before)."""
    names: dict[int, list[str]] = {pk: [] for pk in contact_ids}
    links = Contact.projects.through.objects.filter(contact_id__in=list(names))
    for pk, name in links.values_list("contact_id", "project__name"):
        names[pk].append(name)
    return names


def _record_project_changes(
    *,
    before: dict[int, list[str]],
    user: AbstractBaseUser | AnonymousUser | None,
    added: Project | None = None,
    removed: Project | None = None,
    single: Contact | None = None,
) -> None:
    """Record a project joined or left by the contacts in `before` (one insert for them all)."""
    changes: dict[int, Changes] = {}
    for pk, names in before.items():
        after = [name for name in names if removed is None or name != removed.name]
        if added is not None and added.name not in after:
            after.append(added.name)
        changes[pk] = text_diff(before={PROJECTS: names_text(names)}, after={PROJECTS: names_text(after)})
    if single is not None:
        history_record(contact=single, user=user, action=ChangeAction.UPDATED, changes=changes[single.pk])
    else:
        history_record_each(changes_by_contact=changes, user=user, action=ChangeAction.UPDATED)


@transaction.atomic
def contact_link_project_many(*, contacts: Iterable[Contact], project: Project, user: AbstractBaseUser) -> int:
    """Add several contacts to a project: all of them, or none when one is refused. Returns how many."""
    contacts = list(contacts)
    if not project_can_add_contacts(user=user, project=project):
        raise PermissionDenied(f"You may not add contacts to {project}.")
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    before = project_names_by_contact(c.pk for c in contacts)
    project.contacts.add(*contacts)
    _record_project_changes(before=before, user=user, added=project)
    return len(contacts)


@transaction.atomic
def contact_unlink_project_many(*, contacts: Iterable[Contact], project: Project, user: AbstractBaseUser) -> None:
    for contact in contacts:
        contact_unlink_project(contact=contact, project=project, user=user)
