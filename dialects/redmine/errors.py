"""Redmine's error bodies: 422 `{"errors": [...]}` / `<errors type="array"><error>..</error></errors>`.

Redmine core (common/error_messages.api.rsb) writes Rails full messages
("First name cannot be blank"); 401, 403 and 404 are `head` responses with an
empty body. Bad bodies (400, 413, 415) get the errors list too, so a client
learns what was wrong.
"""

from __future__ import annotations

from typing import Any, ClassVar

from dialects.base import ApiError, DialectErrors

STATUSES_WITH_BODY = frozenset({400, 405, 406, 413, 415, 422, 429})


class RedmineErrors(DialectErrors):
    validation_status = 422
    # The services' keys, as Redmine's fields are called; "" keeps self-explaining messages as they are.
    field_labels: ClassVar[dict[str, str]] = {
        "name": "First name",
        "items": "",
        "addresses": "",
        "custom_fields": "",
        "tags": "",
        "assigned_to": "Assigned to",
        "assigned_to_id": "Assigned to",
        "address_attributes": "Address",
        "content": "Content",
    }

    def body(self, error: ApiError) -> Any:
        if error.status not in STATUSES_WITH_BODY:
            return None
        return {"errors": self.full_messages(error)}
