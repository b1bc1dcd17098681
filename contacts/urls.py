"""URLs of the contact pages, under /contacts/."""

from django.urls import path

from contacts import webform_views
from contacts.views import contacts as views
from contacts.views import customfields, duplicates, exports, imports, lists, merge, notes, trash
from contacts.views import history as history_views

app_name = "contacts"
urlpatterns = [
    path("", lists.contact_list_view, name="contact-list"),
    path("new/", views.contact_create_view, name="contact-create"),
    path("export.csv", exports.contact_export, {"fmt": "csv"}, name="contact-export-csv"),
    path("export.vcf", exports.contact_export, {"fmt": "vcf"}, name="contact-export-vcard"),
    path("bulk/", lists.contact_bulk, name="contact-bulk"),
    path("views/", lists.saved_view_create_view, name="savedview-create"),
    path("views/<int:pk>/rename/", lists.saved_view_update_view, name="savedview-update"),
    path("views/<int:pk>/delete/", lists.saved_view_delete_view, name="savedview-delete"),
    path("import/", imports.import_upload, name="import-upload"),
    path("import/<str:token>/", imports.import_mapping, name="import-mapping"),
    path("companies/suggest", views.company_suggest_view, name="company-suggest"),
    path("trash/", trash.trash_list_view, name="trash-list"),
    path("trash/restore/", trash.trash_restore, name="trash-restore"),
    path("trash/purge/", trash.trash_purge, name="trash-purge"),
    path("companies/new", views.company_create_view, name="company-create"),
    path("<int:pk>/", views.contact_detail, name="contact-detail"),
    path("<int:pk>/edit/", views.contact_update_view, name="contact-update"),
    path("<int:pk>/delete/", views.contact_delete_view, name="contact-delete"),
    path("<int:pk>/notes/", views.note_create_view, name="note-create"),
    path("<int:pk>/tags/", views.contact_tag_add, name="contact-tag-add"),
    path("<int:pk>/timeline/", history_views.contact_timeline_view, name="contact-timeline"),
    path("notes/<int:pk>/edit/", notes.note_update_view, name="note-update"),
    path("notes/<int:pk>/delete/", notes.note_delete_view, name="note-delete"),
    path("custom-fields/", customfields.customfield_list, name="customfield-list"),
    path("custom-fields/new/", customfields.customfield_edit, name="customfield-create"),
    path("custom-fields/<int:pk>/", customfields.customfield_edit, name="customfield-update"),
    path("web-forms/project/<int:pk>/", webform_views.webform_create_view, name="webform-create"),
    path("duplicates/", duplicates.duplicate_list, name="duplicate-list"),
    path("duplicates/check", duplicates.duplicate_check, name="duplicate-check"),
    path("duplicates/dismiss/", duplicates.duplicate_dismiss_view, name="duplicate-dismiss"),
    path("duplicates/scan/", duplicates.duplicate_scan_view, name="duplicate-scan"),
    path("merge/", merge.contact_merge_view, name="contact-merge"),
    path("merges/<int:pk>/undo/", merge.merge_undo_view, name="merge-undo"),
]
