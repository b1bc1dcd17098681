"""A contact's version, for optimistic concurrency: a write may say which version it was based on.

The version is derived from `updated_at` (every write moves it), so no column is added. HTTP
clients see it as an `ETag` and send it back in `If-Match`; the UI's edit form carries it in a
hidden field. A write based on an older version is refused with `ContactChanged`.
"""

from __future__ import annotations

from contacts.models import Contact


class ContactChanged(Exception):
    """The contact was changed by someone else since the version the write was based on."""

    def __init__(self, contact: Contact) -> None:
        super().__init__("This contact was changed by someone else since it was read.")
        self.contact = contact


def contact_version(contact: Contact) -> str:
    """The contact's current version as a strong entity tag (quoted), e.g. `"18a2c4f9e0b5c"`."""
    stamp = contact.updated_at
    return f'"{int(stamp.timestamp() * 1_000_000):x}"' if stamp is not None else '"0"'
