"""A contact's history: who changed what, when, and through which channel.

Services record one `ContactChange` per write with `history_record` (or `history_record_many` for
bulk paths). The channel is not passed around: the code where a request comes in (the UI, the
admin, a dialect, the web form, an import, a merge) sets it once with `history_channel`, and every
change recorded inside it carries it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from contacts.models import ChangeAction, Channel, Contact, ContactChange

_channel: ContextVar[str] = ContextVar("crm_history_channel", default=Channel.SYSTEM)


@contextmanager
def history_channel(channel: str) -> Iterator[None]:
    """Record every change made inside the block as coming through `channel`."""
    token = _channel.set(Channel(channel))
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    return _channel.get()


def _user_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def history_record(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
) -> ContactChange | None:
    """Record one entry; an update that changed nothing records nothing."""
    if action == ChangeAction.UPDATED and not changes:
        return None
    return ContactChange.objects.create(
        contact=contact,
        user_id=_user_id(user),
        channel=current_channel(),
        action=ChangeAction(action),
        changes=dict(changes or {}),
    )


def history_record_many(
    *,
    contact_ids: Iterable[int],
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
) -> None:
    """Record the same entry for many contacts in one bulk insert (imports, bulk actions)."""
    action = ChangeAction(action)
    if action == ChangeAction.UPDATED and not changes:
        return
    user_id, channel, values = _user_id(user), current_channel(), dict(changes or {})
    ContactChange.objects.bulk_create(
        [
            ContactChange(contact_id=pk, user_id=user_id, channel=channel, action=action, changes=values)
            for pk in contact_ids
        ],
        batch_size=2000,
    )


def history_diff(*, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{key: [old, new]}` for the keys of `after` whose value differs from `before`'s."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
