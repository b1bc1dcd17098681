"""Incoplax's error body: `{"error_code": 1000 + status, "error_message": "..."}`.

The seed shows one error, LOOKUP's `{"error_code":1404,"error_message":"Lookup failed"}`; every
other status follows the same rule (1400, 1401, 1403, 1404, 1409, 1413, 1415). Messages name
fields by their Incoplax names (`displayname`, `opts.groups`, `mobile2`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from dialects.base import ApiError, DialectErrors, max_body_bytes


class IncoplaxErrors(DialectErrors):
    validation_status = 400
    # The services' keys, as this dialect's fields are called.
    field_labels: ClassVar[dict[str, str]] = {
        "first_name": "displayname",
        "last_name": "displayname",
        "name": "displayname",
        "job_title": "jobtitle",
        "salutation": "opts.title",
        "background": "opts.comment",
        "priority": "opts.priority",
        "tags": "opts.groups",
        "uuid": "id",
        "slug": "code",
        "opts": "opts",
        "__all__": "",
    }

    def label(self, key: str) -> str:
        base = key.split("[")[0].split(".")[0]
        if key.startswith("opts.") or key.startswith("ext."):
            return ".".join(key.split(".")[:2])
        return self.field_labels.get(base, base)

    def body(self, error: ApiError) -> Any:
        if error.status == 413:
            # Django's own wording names a setting; say what the client can act on.
            return {"error_code": 1413, "error_message": f"The body is larger than {max_body_bytes()} bytes."}
        messages = self.full_messages(error) or [str(error.code)]
        return {"error_code": 1000 + error.status, "error_message": "; ".join(messages)}


class IncoplaxGroupErrors(IncoplaxErrors):
    """The same body, with the services' tag keys named as a group's fields."""

    field_labels: ClassVar[dict[str, str]] = {
        **IncoplaxErrors.field_labels,
        "name": "name",
        "tags": "name",
        "slug": "code",
    }
