"""The Redmine routes under /redmine/; each takes `.json` or `.xml` (without one, Accept decides)."""

from __future__ import annotations

from django.urls import path, re_path

from dialects.base import format_suffixes
from dialects.openapi import OpenApiDocsView, OpenApiView
from dialects.redmine import openapi, views

app_name = "redmine"

api_patterns = [
    path("contacts", views.ContactListView.as_view(), name="contact-list"),
    path("projects/<slug:project>/contacts", views.ContactListView.as_view(), name="project-contact-list"),
    path("contacts/<int:pk>", views.ContactDetailView.as_view(), name="contact-detail"),
    path("contacts/<int:pk>/projects", views.ContactProjectsView.as_view(), name="contact-projects"),
    path("contacts/<int:pk>/projects/<slug:project>", views.ContactProjectView.as_view(), name="contact-project"),
    path("contacts_tags", views.TagListView.as_view(), name="contact-tags"),
    path("notes", views.NoteListView.as_view(), name="note-list"),
    path("notes/<int:pk>", views.NoteDetailView.as_view(), name="note-detail"),
]

# Mounted at /forms/ by the root URLs: a web form's own, neutral route.
webform_patterns = [
    path("openapi.json", OpenApiView.as_view(build=openapi.build_webform), name="webform-openapi"),
    path("<str:key>/", views.WebFormView.as_view(), name="webform-submit"),
]

urlpatterns = [
    path("contacts.vcf", views.ContactsVCardView.as_view(), name="contacts-vcf"),
    path("contacts.csv", views.ContactsCSVView.as_view(), name="contacts-csv"),
    path("projects/<slug:project>/contacts.vcf", views.ContactsVCardView.as_view(), name="project-contacts-vcf"),
    path("projects/<slug:project>/contacts.csv", views.ContactsCSVView.as_view(), name="project-contacts-csv"),
    path("contacts/<int:pk>.vcf", views.ContactVCardView.as_view(), name="contact-vcf"),
    *format_suffixes(api_patterns, allowed=["json", "xml"], required=False),
    path("openapi.json", OpenApiView.as_view(build=openapi.build), name="openapi"),
    path("docs/", OpenApiDocsView.as_view(title=openapi.TITLE), name="openapi-docs"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
