"""ONLYOFFICE's error reply (docs/onlyoffice.md, "The envelope"): `{"status":1,"statusCode":N,"error":{"message":..}}`.

ONLYOFFICE answers ArgumentException with 400 (our validation errors), SecurityException with
403, ItemNotFound and unknown routes with 404 and a missing token with 401. The `response`
member is absent. Messages name ONLYOFFICE's parameter, not our field.
"""

from __future__ import annotations

from typing import Any, ClassVar

from dialects.base import ApiError, DialectErrors
from dialects.onlyoffice.pagination import Envelope


class OnlyofficeErrors(DialectErrors):
    validation_status: ClassVar[int] = 400
    field_labels: ClassVar[dict[str, str]] = {
        "first_name": "firstName",
        "last_name": "lastName",
        "name": "companyName",
        "job_title": "jobTitle",
        "background": "about",
        "company": "companyId",
        "visibility": "shareType",
        "access_list": "managerList",
        "custom_fields": "customFieldList",
        "items": "data",
        "addresses": "data",
        "tags": "tagName",
        "field_format": "fieldType",
        "choices": "mask",
        "code": "title",
        "avatar": "photo",
    } | {
        name: name
        for name in (
            "firstName",
            "lastName",
            "jobTitle",
            "companyId",
            "companyName",
            "about",
            "shareType",
            "isShared",
            "isPrivate",
            "managerList",
            "customFieldList",
            "personList",
            "infoType",
            "data",
            "category",
            "isPrimary",
            "tagName",
            "label",
            "fieldType",
            "position",
            "mask",
            "title",
            "description",
            "color",
            "sortOrder",
            "fieldValue",
            "contactid",
            "contactStatusid",
            "userName",
            "password",
            "startIndex",
            "count",
            "contactStage",
            "contactType",
            "contactListView",
            "responsibleid",
            "fromDate",
            "toDate",
            "filterValue",
            "fromcontactid",
            "tocontactid",
            "fieldids",
            "photo",
            "photourl",
        )
    }

    def body(self, error: ApiError) -> Any:
        return Envelope(
            status=1,
            statusCode=error.status,
            error={"message": " ".join(self.full_messages(error)) or "Error."},
        )
