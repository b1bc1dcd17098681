"""Reads of contacts: the one visibility-aware path every face goes through.

`contact_list(user=...)` is the only way any part of the CRM (each API dialect,
the UI, search, exports, tag counts, the web form's duplicate check) reads
contacts, so the visibility rule (in `visibility`) exists once:

- superusers see everything;
- a contact's author, assignee and access list always see it;
- a public contact is seen by every signed-in user;
- a project contact by members of one of its projects;
- a private contact by nobody else.

The reads live in one module per concern; every public name is importable from here.
"""

from __future__ import annotations

from contacts.selectors.companies import (
    COMPANY_SUGGESTIONS,
    companies_named,
    company_choices,
    company_people,
    company_suggest,
    contact_annotate_company_visible,
    contact_group,
)
from contacts.selectors.counting import (
    COUNTED_UP_TO,
    contact_count,
    contact_counts,
    contact_counts_by,
    custom_value_counts,
)
from contacts.selectors.display import (
    DISPLAY_PREFETCHES,
    WRITE_PREFETCHES,
    choice_get,
    choice_list,
    contact_access_lists,
    contact_annotate_for_display,
    contact_list_for_display,
    custom_field_get,
    custom_field_list,
    custom_value_get,
)
from contacts.selectors.exports import (
    EXPORT_CHUNK,
    EXPORT_FIELDS,
    EXPORT_TEXT_FIELDS,
    ExportRow,
    contact_export_chunks,
    contact_export_counts,
)
from contacts.selectors.keys import (
    apikey_get,
    job_get,
    job_list,
    webform_for_key,
    webform_list,
)
from contacts.selectors.lookup import (
    ITEM_ROW_FIELDS,
    ROW_FIELDS,
    contact_get_by_uuid,
    contact_list_by_address,
    contact_list_by_item,
    contact_list_matching,
    contact_lookup,
    contact_rows,
    contact_uuid_taken,
    item_value_q,
)
from contacts.selectors.menus import (
    ListMenus,
    contact_annotate_rights,
    contact_list_selection,
    list_menus,
    project_list_with_role,
    saved_view_can_manage,
    saved_view_get,
    saved_view_list,
)
from contacts.selectors.notes import (
    TIMELINE_SHOWS,
    TimelineEntry,
    contact_changes,
    contact_timeline,
    note_can_change,
    note_get,
    note_list,
    note_managed_contact,
)
from contacts.selectors.pages import (
    ContactPages,
    contact_page,
)
from contacts.selectors.rights import (
    ContactRights,
    contact_can_delete,
    contact_can_edit,
    contact_deletable_q,
    contact_rights,
    trash_list,
    trash_list_by_ids,
)
from contacts.selectors.tags import (
    contact_tags,
    tag_can_manage,
    tag_counts,
    tag_dictionary,
    tag_get,
    tag_list_matching,
    tag_member_contacts,
    tag_names,
    tag_rows,
    tags_by_slug,
)
from contacts.selectors.visibility import (
    MOST_VISIBLE_QUERYSETS,
    AnyUser,
    contact_get,
    contact_list,
    contact_list_by_ids,
    contact_prefetches,
    contact_visibility_key,
    contact_visibility_q,
    contact_visible_q,
)

__all__ = [
    "AnyUser",
    "COMPANY_SUGGESTIONS",
    "COUNTED_UP_TO",
    "ContactPages",
    "ContactRights",
    "DISPLAY_PREFETCHES",
    "EXPORT_CHUNK",
    "EXPORT_FIELDS",
    "EXPORT_TEXT_FIELDS",
    "ExportRow",
    "ITEM_ROW_FIELDS",
    "ListMenus",
    "MOST_VISIBLE_QUERYSETS",
    "ROW_FIELDS",
    "TIMELINE_SHOWS",
    "TimelineEntry",
    "WRITE_PREFETCHES",
    "apikey_get",
    "choice_get",
    "choice_list",
    "companies_named",
    "company_choices",
    "company_people",
    "company_suggest",
    "contact_access_lists",
    "contact_annotate_company_visible",
    "contact_annotate_for_display",
    "contact_annotate_rights",
    "contact_can_delete",
    "contact_can_edit",
    "contact_changes",
    "contact_count",
    "contact_counts",
    "contact_counts_by",
    "contact_deletable_q",
    "contact_export_chunks",
    "contact_export_counts",
    "contact_get",
    "contact_get_by_uuid",
    "contact_group",
    "contact_list",
    "contact_list_by_address",
    "contact_list_by_ids",
    "contact_list_by_item",
    "contact_list_for_display",
    "contact_list_matching",
    "contact_list_selection",
    "contact_lookup",
    "contact_page",
    "contact_prefetches",
    "contact_rights",
    "contact_rows",
    "contact_tags",
    "contact_timeline",
    "contact_uuid_taken",
    "contact_visibility_key",
    "contact_visibility_q",
    "contact_visible_q",
    "custom_field_get",
    "custom_field_list",
    "custom_value_counts",
    "custom_value_get",
    "item_value_q",
    "job_get",
    "job_list",
    "list_menus",
    "note_can_change",
    "note_get",
    "note_list",
    "note_managed_contact",
    "project_list_with_role",
    "saved_view_can_manage",
    "saved_view_get",
    "saved_view_list",
    "tag_can_manage",
    "tag_counts",
    "tag_dictionary",
    "tag_get",
    "tag_list_matching",
    "tag_member_contacts",
    "tag_names",
    "tag_rows",
    "tags_by_slug",
    "trash_list",
    "trash_list_by_ids",
    "webform_for_key",
    "webform_list",
]
