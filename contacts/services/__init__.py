"""Writes of contacts and what hangs off them, by sub-domain.

Every write that touches nested data (items, addresses, custom values, tags,
projects) runs in one transaction: it all lands, or nothing does. Validation
errors are collected per field and raised together as one ValidationError whose
keys name the field (`first_name`, `items[1].value`, `custom_fields[3]`...), so
each dialect can render them in its own error format.

Callers import from `contacts.services`; the modules are `contacts` (one contact's create,
update, delete and avatar), `plans` (the checked write that create and update share), `companies`
(writes through a contact's company), `project_links` (contacts joining and leaving projects),
`many` (one write on several contacts), `nested` (items and addresses), `custom`
(custom fields and values, types and stages), `tags` (and tags as groups), `slots`
(phones and emails in named slots), `notes`, `merge`, `keys`, `trash` (restore and purge), `bulk`
(the contacts list's actions over every matching contact) and `savedviews` (the list's saved views).
"""

from contacts.services.base import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    ITEM_FIELDS,
    MAX_TAG_LENGTH,
    DuplicateKeyError,
    ErrorBag,
)
from contacts.services.bulk import (
    BulkOutcome,
    contact_bulk_apply,
    contact_bulk_plan,
    contact_bulk_start,
)
from contacts.services.companies import (
    company_create,
    company_for_name,
    contact_save_with_company_name,
    contact_save_with_type_code,
)
from contacts.services.contacts import (
    MAX_AVATAR_BYTES,
    ContactDraft,
    contact_create,
    contact_delete,
    contact_draft,
    contact_draft_save,
    contact_set_avatar,
    contact_update,
)
from contacts.services.custom import (
    choice_create,
    choice_delete,
    choice_update,
    contact_type_for_code,
    custom_field_create,
    custom_field_delete,
    custom_field_reorder,
    custom_field_update,
)
from contacts.services.keys import (
    APIKEY_TOUCH_INTERVAL,
    apikey_get_or_create,
    apikey_mark_used,
    apikey_reset,
    webform_create,
    webform_reset_key,
)
from contacts.services.many import (
    contact_create_many,
    contact_delete_many,
    contact_update_many,
)
from contacts.services.merge import (
    contact_merge,
    duplicate_dismiss,
    duplicate_scan_run,
    merge_undo,
)
from contacts.services.nested import (
    contact_delete_nested,
)
from contacts.services.notes import (
    note_create,
    note_delete,
    note_update,
)
from contacts.services.project_links import (
    contact_link_project,
    contact_link_project_many,
    contact_unlink_project,
    contact_unlink_project_many,
)
from contacts.services.savedviews import (
    saved_view_create,
    saved_view_delete,
    saved_view_update,
)
from contacts.services.slots import (
    contact_create_slotted,
    contact_update_slotted,
)
from contacts.services.tags import (
    contact_add_tags,
    contact_add_tags_many,
    contact_remove_tags,
    contact_remove_tags_many,
    group_create,
    group_delete,
    group_set_members,
    group_update,
    split_tag_list,
    tag_create,
    tag_delete,
    tag_delete_unused,
    tag_merge,
    tag_rename,
)
from contacts.services.trash import (
    contact_purge,
    contact_purge_many,
    contact_restore,
    contact_restore_many,
    trash_purge_expired,
)

__all__ = [
    "ADDRESS_FIELDS",
    "APIKEY_TOUCH_INTERVAL",
    "BulkOutcome",
    "CONTACT_FIELDS",
    "ContactDraft",
    "DuplicateKeyError",
    "ErrorBag",
    "ITEM_FIELDS",
    "MAX_AVATAR_BYTES",
    "MAX_TAG_LENGTH",
    "apikey_get_or_create",
    "apikey_mark_used",
    "apikey_reset",
    "choice_create",
    "choice_delete",
    "choice_update",
    "company_create",
    "company_for_name",
    "contact_add_tags",
    "contact_add_tags_many",
    "contact_bulk_apply",
    "contact_bulk_plan",
    "contact_bulk_start",
    "contact_create",
    "contact_create_many",
    "contact_create_slotted",
    "contact_delete",
    "contact_delete_many",
    "contact_delete_nested",
    "contact_draft",
    "contact_draft_save",
    "contact_link_project",
    "contact_link_project_many",
    "contact_merge",
    "contact_purge",
    "contact_purge_many",
    "duplicate_dismiss",
    "duplicate_scan_run",
    "merge_undo",
    "contact_remove_tags",
    "contact_remove_tags_many",
    "contact_restore",
    "contact_restore_many",
    "contact_save_with_company_name",
    "contact_save_with_type_code",
    "contact_set_avatar",
    "contact_type_for_code",
    "contact_unlink_project",
    "contact_unlink_project_many",
    "contact_update",
    "contact_update_many",
    "contact_update_slotted",
    "custom_field_create",
    "custom_field_delete",
    "custom_field_reorder",
    "custom_field_update",
    "group_create",
    "group_delete",
    "group_set_members",
    "group_update",
    "note_create",
    "note_delete",
    "note_update",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_update",
    "split_tag_list",
    "tag_create",
    "tag_delete",
    "tag_delete_unused",
    "tag_merge",
    "tag_rename",
    "trash_purge_expired",
    "webform_create",
    "webform_reset_key",
]
