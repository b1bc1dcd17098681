"""ONLYOFFICE routes under api/2.0/ (docs/onlyoffice.md, "Contacts"); each takes an optional .json or .xml suffix."""

from __future__ import annotations

from django.urls import path, re_path, register_converter
from rest_framework.exceptions import ValidationError

from dialects.base import format_suffixes
from dialects.onlyoffice import openapi, views
from dialects.onlyoffice.codes import InfoType
from dialects.onlyoffice.fields import enum_value
from dialects.openapi import OpenApiDocsView, OpenApiView

app_name = "onlyoffice"


class SignedIntConverter:
    """Contact info ids: addresses have negative ones (serializers.ContactInfoSerializer)."""

    regex = "-?[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class InfoTypeNameConverter:
    """`contact/{id}/data/{infoType}` by InfoType name, as ONLYOFFICE tells it from
    `contact/{id}/data/{infoid}`: a name is a type, a number an item id. An unknown name
    matches no route (404)."""

    regex = "[A-Za-z]+"

    def to_python(self, value: str) -> int:
        try:
            return enum_value(InfoType, value)
        except ValidationError:
            raise ValueError(value) from None

    def to_url(self, value: int) -> str:
        return InfoType(value).label


register_converter(SignedIntConverter, "signedint")
register_converter(InfoTypeNameConverter, "infotype")

ENTITIES = ("contact", "person", "company")
# Views serving a create route and an update route answer each route's own method only (405
# for the other, whose handler would miss its id or get one it does not take).
READ = ["get", "head", "options"]
CREATE = ["post", "options"]
UPDATE = ["put", "options"]
GROUPS = ("person", "company")

urlpatterns = format_suffixes(
    [
        path("authentication", views.AuthenticationView.as_view(), name="authentication"),
        path("crm/contact", views.ContactBulkDeleteView.as_view(), name="contact-bulk-delete"),
        path("crm/contact/filter", views.ContactFilterView.as_view(), name="contact-filter"),
        path("crm/contact/filter/taglist", views.ContactFilterTagView.as_view(), name="contact-filter-taglist"),
        path("crm/contact/filter/access", views.ContactFilterAccessView.as_view(), name="contact-filter-access"),
        path("crm/contact/bycontactinfo", views.ContactByInfoView.as_view(), name="contact-bycontactinfo"),
        path("crm/contact/merge", views.ContactMergeView.as_view(), name="contact-merge"),
        path("crm/contact/person", views.PersonView.as_view(http_method_names=CREATE), name="person-create"),
        path("crm/contact/person/quick", views.PersonQuickView.as_view(), name="person-quick"),
        path("crm/contact/company/quick", views.CompanyQuickView.as_view(), name="company-quick"),
        path(
            "crm/contact/person/<int:personid>",
            views.PersonView.as_view(http_method_names=UPDATE),
            name="person-update",
        ),
        path("crm/contact/company", views.CompanyView.as_view(http_method_names=CREATE), name="company-create"),
        path(
            "crm/contact/company/<int:companyid>",
            views.CompanyView.as_view(http_method_names=UPDATE),
            name="company-update",
        ),
        path(
            "crm/contact/company/<int:companyid>/person",
            views.CompanyPersonsView.as_view(),
            name="company-persons",
        ),
        path("crm/contact/project/<int:projectid>", views.ProjectContactsView.as_view(), name="contact-project-list"),
        path("crm/contact/<int:contactid>", views.ContactDetailView.as_view(), name="contact-detail"),
        path(
            "crm/contact/<int:contactid>/project/<int:projectid>",
            views.ContactProjectView.as_view(),
            name="contact-project",
        ),
        path("crm/contact/access", views.ContactAccessManyView.as_view(), name="contact-access-many"),
        path("crm/contact/<int:contactid>/access", views.ContactAccessView.as_view(), name="contact-access"),
        path("crm/contact/<int:contactid>/status", views.ContactSetStatusView.as_view(), name="contact-status"),
        *[
            path(
                f"crm/contact/{entity}/<int:contactid>/status",
                views.ContactSetStatusView.as_view(),
                {"entity": entity},
                name=f"{entity}-status",
            )
            for entity in GROUPS
        ],
        path("crm/contact/<int:contactid>/changephoto", views.ContactPhotoView.as_view(), name="contact-photo"),
        path(
            "crm/contact/<int:contactid>/changephotobyurl",
            views.ContactPhotoByUrlView.as_view(),
            name="contact-photo-by-url",
        ),
        path("crm/contact/data/infoType", views.InfoTypesView.as_view(), name="contactinfo-types"),
        path(
            "crm/contact/data/<str:infotype>/category",
            views.InfoCategoriesView.as_view(),
            name="contactinfo-categories",
        ),
        path("crm/contact/<int:contactid>/data", views.ContactInfoListView.as_view(), name="contactinfo-list"),
        path(
            "crm/contact/<int:contactid>/data/<infotype:infotype>",
            views.ContactInfoByTypeView.as_view(),
            name="contactinfo-by-type",
        ),
        path(
            "crm/contact/<int:contactid>/data/<signedint:infoid>",
            views.ContactInfoDetailView.as_view(),
            name="contactinfo-detail",
        ),
        path("crm/contact/<int:contactid>/tag", views.ContactTagsView.as_view(), name="contact-tags"),
        path("crm/contact/tag/<int:contactid>", views.ContactTagsView.as_view(), name="contact-tags-alt"),
        path("crm/contact/tag", views.TagDictionaryView.as_view(), name="tag-list"),
        path("crm/contact/tag/unused", views.UnusedTagsView.as_view(), name="tag-unused"),
        path("crm/contact/taglist", views.TagManyView.as_view(), name="tag-many"),
        path("crm/contact/type", views.ListItemsView.as_view(), name="contacttype-list"),
        path("crm/contact/type/<int:pk>", views.ListItemDetailView.as_view(), name="contacttype-detail"),
        path("crm/contact/status", views.StatusesView.as_view(), name="contactstatus-list"),
        path("crm/contact/status/<int:pk>", views.StatusDetailView.as_view(), name="contactstatus-detail"),
        *[
            path(
                f"crm/{entity}/<int:contactid>/tag/group",
                views.ContactTagGroupView.as_view(),
                {"entity": entity},
                name=f"{entity}-tag-group",
            )
            for entity in GROUPS
        ],
        *[
            route
            for entity in ENTITIES
            for route in (
                path(
                    f"crm/{entity}/customfield/definitions",
                    views.CustomFieldDefinitionsView.as_view(),
                    {"entity": entity},
                    name=f"{entity}-customfield-list",
                ),
                path(
                    f"crm/{entity}/customfield/reorder",
                    views.CustomFieldReorderView.as_view(),
                    {"entity": entity},
                    name=f"{entity}-customfield-reorder",
                ),
                path(
                    f"crm/{entity}/customfield",
                    views.CustomFieldCreateView.as_view(),
                    {"entity": entity},
                    name=f"{entity}-customfield-create",
                ),
                path(
                    f"crm/{entity}/customfield/<int:fieldid>",
                    views.CustomFieldDetailView.as_view(),
                    {"entity": entity},
                    name=f"{entity}-customfield-detail",
                ),
                path(
                    f"crm/{entity}/<int:contactid>/customfield",
                    views.ContactCustomFieldsView.as_view(http_method_names=READ),
                    {"entity": entity},
                    name=f"{entity}-customvalue-list",
                ),
                path(
                    f"crm/{entity}/<int:contactid>/customfield/<int:fieldid>",
                    views.ContactCustomFieldsView.as_view(http_method_names=CREATE),
                    {"entity": entity},
                    name=f"{entity}-customvalue-set",
                ),
            )
        ],
    ],
    allowed=["json", "xml"],
    required=False,
) + [
    path("crm/openapi.json", OpenApiView.as_view(build=openapi.build), name="openapi"),
    path("crm/docs/", OpenApiDocsView.as_view(title=openapi.TITLE), name="openapi-docs"),
    re_path(r"^.*?(?:\.(?P<format>json|xml))?$", views.NotFoundView.as_view(), name="not-found"),
]
