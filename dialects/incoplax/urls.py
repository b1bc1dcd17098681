"""The Incoplax address book under /rest/v1/addressbook/ (a trailing slash is accepted too);
any other path there is a 404 in the dialect's error format."""

from __future__ import annotations

from django.urls import re_path

from dialects.incoplax import openapi
from dialects.incoplax.views.combined import CombinedContactsView
from dialects.incoplax.views.contacts import ContactCollectionView, ContactDetailView
from dialects.incoplax.views.groups import GroupCollectionView, GroupDetailView
from dialects.incoplax.views.notfound import NotFoundView
from dialects.openapi import OpenApiDocsView, OpenApiView

app_name = "incoplax"

urlpatterns = [
    re_path(r"^contacts/?$", ContactCollectionView.as_view(), name="contact-list"),
    re_path(r"^contacts/(?P<key>[^/]+)/?$", ContactDetailView.as_view(), name="contact-detail"),
    re_path(r"^contactgroups/?$", GroupCollectionView.as_view(), name="contactgroup-list"),
    re_path(r"^contactgroups/(?P<key>[^/]+)/?$", GroupDetailView.as_view(), name="contactgroup-detail"),
    re_path(r"^combined_contacts/?$", CombinedContactsView.as_view(), name="combined-contact-list"),
    re_path(r"^openapi\.json$", OpenApiView.as_view(build=openapi.build), name="openapi"),
    re_path(r"^docs/$", OpenApiDocsView.as_view(title=openapi.TITLE), name="openapi-docs"),
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
