"""ONLYOFFICE CRM API views by resource (docs/onlyoffice.md): each module is a resource's
routes, thin DRF views over contacts.selectors and contacts.services; `base` holds what they share."""

from __future__ import annotations

from dialects.onlyoffice.views.authentication import AuthenticationView
from dialects.onlyoffice.views.base import NotFoundView, OnlyofficeView
from dialects.onlyoffice.views.contact_info import (
    ContactInfoByTypeView,
    ContactInfoDetailView,
    ContactInfoListView,
    InfoCategoriesView,
    InfoTypesView,
)
from dialects.onlyoffice.views.contacts import (
    CompanyPersonsView,
    CompanyQuickView,
    CompanyView,
    ContactAccessManyView,
    ContactAccessView,
    ContactBulkDeleteView,
    ContactByInfoView,
    ContactDetailView,
    ContactFilterAccessView,
    ContactFilterTagView,
    ContactFilterView,
    ContactMergeView,
    ContactPhotoByUrlView,
    ContactPhotoView,
    ContactProjectView,
    ContactSetStatusView,
    PersonQuickView,
    PersonView,
    ProjectContactsView,
)
from dialects.onlyoffice.views.custom_fields import (
    ContactCustomFieldsView,
    CustomFieldCreateView,
    CustomFieldDefinitionsView,
    CustomFieldDetailView,
    CustomFieldReorderView,
)
from dialects.onlyoffice.views.dictionaries import ListItemDetailView, ListItemsView, StatusDetailView, StatusesView
from dialects.onlyoffice.views.tags import (
    ContactTagGroupView,
    ContactTagsView,
    TagDictionaryView,
    TagManyView,
    UnusedTagsView,
)

__all__ = [
    "AuthenticationView",
    "CompanyPersonsView",
    "CompanyQuickView",
    "CompanyView",
    "ContactAccessManyView",
    "ContactAccessView",
    "ContactBulkDeleteView",
    "ContactByInfoView",
    "ContactCustomFieldsView",
    "ContactDetailView",
    "ContactFilterAccessView",
    "ContactFilterTagView",
    "ContactFilterView",
    "ContactInfoByTypeView",
    "ContactInfoDetailView",
    "ContactInfoListView",
    "ContactMergeView",
    "ContactPhotoByUrlView",
    "ContactPhotoView",
    "ContactProjectView",
    "ContactSetStatusView",
    "ContactTagGroupView",
    "ContactTagsView",
    "CustomFieldCreateView",
    "CustomFieldDefinitionsView",
    "CustomFieldDetailView",
    "CustomFieldReorderView",
    "InfoCategoriesView",
    "InfoTypesView",
    "ListItemDetailView",
    "ListItemsView",
    "NotFoundView",
    "OnlyofficeView",
    "PersonQuickView",
    "PersonView",
    "ProjectContactsView",
    "StatusDetailView",
    "StatusesView",
    "TagDictionaryView",
    "TagManyView",
    "UnusedTagsView",
]
