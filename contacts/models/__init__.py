"""The domain core: contacts (persons and companies) and what hangs off them, one module per concern.

Every model is importable from here, as Django and the rest of the CRM expect.
"""

from __future__ import annotations

from contacts.models.access import (
    DEFAULT_THANKS_TEXT,
    ORIGIN,
    WEBFORM_FIELDS,
    ApiKey,
    WebForm,
    new_key,
)
from contacts.models.contacts import (
    BIRTHDAY_MIN,
    LIVE,
    PRIORITY_MAX,
    PRIORITY_MIN,
    Contact,
    Initial,
    TrashedContact,
    TrashedContactManager,
    Visibility,
    validate_birthday,
)
from contacts.models.dictionaries import (
    COLOR_HELP,
    HEX_COLOR_LENGTH,
    ContactStage,
    ContactType,
)
from contacts.models.fields import (
    CustomField,
    CustomValue,
)
from contacts.models.items import (
    NOT_DIGIT,
    PLAIN_PHONE,
    URL_SCHEME,
    Address,
    ContactItem,
    normalize_phone,
    phone_parse,
    with_scheme,
)
from contacts.models.notes import (
    NOTE_FUTURE_SLACK,
    Note,
)
from contacts.models.records import (
    ChangeAction,
    Channel,
    ContactChange,
    DuplicateDismissal,
    DuplicateScan,
    Job,
    MergeRecord,
    SavedView,
)
from contacts.models.tags import (
    Tag,
    TaggedContact,
)

__all__ = [
    "Address",
    "ApiKey",
    "BIRTHDAY_MIN",
    "COLOR_HELP",
    "ChangeAction",
    "Channel",
    "Contact",
    "ContactChange",
    "ContactItem",
    "ContactStage",
    "ContactType",
    "CustomField",
    "CustomValue",
    "DEFAULT_THANKS_TEXT",
    "DuplicateDismissal",
    "DuplicateScan",
    "HEX_COLOR_LENGTH",
    "Initial",
    "Job",
    "LIVE",
    "MergeRecord",
    "NOTE_FUTURE_SLACK",
    "NOT_DIGIT",
    "Note",
    "ORIGIN",
    "PLAIN_PHONE",
    "PRIORITY_MAX",
    "PRIORITY_MIN",
    "SavedView",
    "Tag",
    "TaggedContact",
    "TrashedContact",
    "TrashedContactManager",
    "URL_SCHEME",
    "Visibility",
    "WEBFORM_FIELDS",
    "WebForm",
    "new_key",
    "normalize_phone",
    "phone_parse",
    "validate_birthday",
    "with_scheme",
]
