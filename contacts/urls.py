"""URLs of the contact pages, under /contacts/."""

from django.urls import path

from contacts import webform_views
from contacts.views import contacts as views
from contacts.views import customfields, notes

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list_view, name="contact-list"),
    path("new/", views.contact_create_view, name="contact-create"),
    path("export.csv", views.contact_export, {"fmt": "csv"}, name="contact-export-csv"),
    path("export.vcf", views.contact_export, {"fmt": "vcf"}, name="contact-export-vcard"),
    path("bulk/", views.contact_bulk, name="contact-bulk"),
    path("companies/suggest", views.company_suggest_view, name="company-suggest"),
    path("companies/new", views.company_create_view, name="company-create"),
    path("<int:pk>/", views.contact_detail, name="contact-detail"),
    path("<int:pk>/edit/", views.contact_update_view, name="contact-update"),
    path("<int:pk>/delete/", views.contact_delete_view, name="contact-delete"),
    path("<int:pk>/notes/", views.note_create_view, name="note-create"),
    path("<int:pk>/tags/", views.contact_tag_add, name="contact-tag-add"),
    path("notes/<int:pk>/edit/", notes.note_update_view, name="note-update"),
    path("notes/<int:pk>/delete/", notes.note_delete_view, name="note-delete"),
    path("custom-fields/", customfields.customfield_list, name="customfield-list"),
    path("custom-fields/new/", customfields.customfield_edit, name="customfield-create"),
    path("custom-fields/<int:pk>/", customfields.customfield_edit, name="customfield-update"),
    path("web-forms/project/<int:pk>/", webform_views.webform_create_view, name="webform-create"),
]
