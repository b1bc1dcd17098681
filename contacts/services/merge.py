"""Merging one contact into another: everything the source had moves to the target."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contacts.history import (
    MERGED_FROM,
    contact_snapshot,
    field_label,
    history_record,
    history_record_many,
    text_diff,
)
from contacts.models import (
    ChangeAction,
    Contact,
    ContactItem,
)
from contacts.selectors import contact_can_delete, contact_can_edit


@transaction.atomic
def contact_merge(*, source: Contact, target: Contact, user: AbstractBaseUser | AnonymousUser | None) -> Contact:
    """Fold `source` into `target` (two persons or two companies) and delete `source`.

    Items move unless the target has one of the same kind and value; addresses, notes, tags and
    projects move; custom values move where the target has none (the target's win); a company's
    people move to the target. The user must be allowed to edit the target and delete the source.
    The target's history records the merge with what it gained; the source's goes with it.
    """
    if source.is_company != target.is_company:
        raise ValidationError("A person and a company cannot be merged.")
    if source.pk == target.pk:
        raise ValidationError("A contact cannot be merged into itself.")
    if (
        user is None
        or not contact_can_edit(user=user, contact=target)
        or not contact_can_delete(user=user, contact=source)
    ):
        raise PermissionDenied(f"You may not merge these {'companies' if target.is_company else 'persons'}.")
    before = contact_snapshot(target)
    if source.is_company:
        people = list(Contact.objects.filter(company=source).values_list("pk", flat=True))
        Contact.objects.filter(pk__in=people).update(company=target)
        company = field_label("company")
        history_record_many(
            contact_ids=people,
            user=user,
            action=ChangeAction.UPDATED,
            changes={company: [source.display_name, target.display_name]},
        )
    known = set(target.items.values_list("kind", "value"))
    moving = [item.pk for item in source.items.all() if (item.kind, item.value) not in known]
    ContactItem.objects.filter(pk__in=moving).update(contact=target, is_primary=False)
    source.addresses.update(contact=target, is_primary=False)
    source.notes.update(contact=target)
    taken = target.custom_values.values("field_id")
    source.custom_values.exclude(field_id__in=taken).update(contact=target)
    target.tags.add(*source.tags.all())
    target.projects.add(*source.projects.all())
    source.delete()
    target.save()
    changes = {MERGED_FROM: ["", source.display_name]} | text_diff(before=before, after=contact_snapshot(target))
    history_record(contact=target, user=user, action=ChangeAction.MERGED, changes=changes)
    return target
