"""The incwo routes under /incwo/<business_file_id>/; XML only, so every path ends in `.xml`."""

from __future__ import annotations

from django.urls import path, re_path

from dialects.incwo import openapi, views
from dialects.openapi import OpenApiDocsView, OpenApiView

app_name = "incwo"

urlpatterns = [
    path("contacts.xml", views.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:pk>.xml", views.ContactDetailView.as_view(), name="contact-detail"),
    path("firms.xml", views.FirmListView.as_view(), name="firm-list"),
    path("firms/<int:pk>.xml", views.FirmDetailView.as_view(), name="firm-detail"),
    path("openapi.json", OpenApiView.as_view(build=openapi.build), name="openapi"),
    path("docs/", OpenApiDocsView.as_view(title=openapi.TITLE), name="openapi-docs"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
