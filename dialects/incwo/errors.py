"""incwo's error body: `<errors><error>..</error></errors>`, for every error status.

incwo does not document its errors; it is a Rails application, so invalid data
is 422 with Rails' full messages ("Last name cannot be blank"), and the other
refusals (400, 401, 403, 404, 413, 415) carry the same body with one message,
so a client always learns what was wrong (`docs/incwo.md`, "Errors").
"""

from __future__ import annotations

from typing import Any, ClassVar

from dialects.base import ApiError, DialectErrors


class IncwoErrors(DialectErrors):
    validation_status = 422
    # The services' keys as incwo's fields are called; "" keeps messages that name their field.
    field_labels: ClassVar[dict[str, str]] = {
        "first_name": "First name",
        "last_name": "Last name",
        "name": "Name",
        "background": "Comment",
        "department": "Job department",
        "salutation": "Civility label",
        "company": "Firm",
        "contact_type": "Contact type",
        "registration_number": "Siren",
        "vat_number": "Tva",
        "firm_id": "",
        "items": "",
        "addresses": "",
        "contact_items": "",
        "contact_addresses": "",
    }

    def body(self, error: ApiError) -> Any:
        return {"errors": self.full_messages(error) or ["Error."]}
