"""Admin for firms: the company contacts on their own page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from contacts.admin import AddressInline, ContactItemInline, CustomValueInline, NoteInline, TrashOnDeleteMixin
from contacts.models import LIVE
from firms.models import Firm


@admin.register(Firm)
class FirmAdmin(TrashOnDeleteMixin, admin.ModelAdmin):
    list_display = ("display_name", "industry", "contact_type", "people_count", "updated_at")
    list_filter = ("contact_type", "stage", "visibility", "projects")
    search_fields = ("name", "industry", "items__value")
    autocomplete_fields = ("author", "assigned_to", "access_list")
    filter_horizontal = ("projects",)
    readonly_fields = ("uuid", "updated_at")
    inlines = (ContactItemInline, AddressInline, CustomValueInline, NoteInline)
    fields = (
        "name",
        ("registration_number", "vat_number"),
        "industry",
        "background",
        "contact_type",
        "stage",
        "currency",
        "avatar",
        "author",
        "assigned_to",
        "visibility",
        "access_list",
        "projects",
        "tags",
        "uuid",
        "updated_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Firm]:
        live_people = Count("people", filter=Q(people__deleted_at__isnull=True))
        return super().get_queryset(request).filter(LIVE).annotate(n_people=live_people)

    @admin.display(description="People", ordering="n_people")
    def people_count(self, obj: Firm) -> int:
        return obj.n_people
