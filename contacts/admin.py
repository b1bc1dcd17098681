"""Admin for contacts and everything that hangs off them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from contacts.forms.editor import MAX_ADDRESSES, MAX_ITEMS
from contacts.models import (
    Address,
    ApiKey,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Note,
    Tag,
    WebForm,
)
from contacts.search import search_q
from contacts.selectors import contact_visibility_q
from contacts.webforms import webform_snippet
from crm.admin_inlines import CappedInlineMixin, NewestRowsInlineMixin


class ContactItemInline(CappedInlineMixin, admin.TabularInline):
    model = ContactItem
    max_num = MAX_ITEMS
    extra = 1
    fields = ("kind", "tel_type", "context", "service", "value", "is_primary", "position", "slot")


class AddressInline(CappedInlineMixin, admin.StackedInline):
    model = Address
    max_num = MAX_ADDRESSES
    extra = 0
    fields = (("street1", "street2"), ("city", "region", "postcode"), ("country", "context", "is_primary"))


class CustomValueInline(CappedInlineMixin, admin.TabularInline):
    model = CustomValue
    # One value per custom field: as many rows as there are fields, and no more.
    max_num = 200
    extra = 0
    autocomplete_fields = ("field",)


class NoteInline(NewestRowsInlineMixin, admin.StackedInline):
    """The newest notes; every note is on the Notes admin page."""

    model = Note
    verbose_name_plural = "notes (the newest 20; all of them are under Notes)"
    extra = 0
    fields = (("kind", "subject", "created_at"), "content", "author")
    autocomplete_fields = ("author",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("display_name", "is_company", "company", "job_title", "contact_type", "visibility", "updated_at")
    list_filter = ("is_company", "visibility", "contact_type", "stage", "projects", "tags")
    # The search box shows for any search_fields; get_search_results answers through contacts.search.
    search_fields = ("display_name",)
    list_select_related = ("company", "contact_type")
    autocomplete_fields = ("company", "author", "assigned_to", "access_list")
    filter_horizontal = ("projects",)
    readonly_fields = ("uuid", "display_name", "updated_at")
    date_hierarchy = "created_at"
    inlines = (ContactItemInline, AddressInline, CustomValueInline, NoteInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "is_company",
                    ("salutation", "first_name", "middle_name", "last_name"),
                    "name",
                    ("registration_number", "vat_number"),
                )
            },
        ),
        ("Work", {"fields": ("company", "job_title", "department", "industry")}),
        ("About", {"fields": ("background", "birthday", "avatar", "contact_type", "stage", "currency", "priority")}),
        ("Ownership", {"fields": ("author", "assigned_to", "visibility", "access_list", "projects", "tags")}),
        ("Record", {"fields": ("uuid", "display_name", "created_at", "updated_at")}),
    )

    # A stored contact's form shows only its kind's fields; a new one shows both (is_company decides).
    PERSON_ONLY = frozenset(
        {"salutation", "first_name", "middle_name", "last_name", "company", "job_title", "department", "birthday"}
    )
    COMPANY_ONLY = frozenset({"name", "registration_number", "vat_number"})

    def get_fieldsets(self, request: HttpRequest, obj: Contact | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        hidden = self.PERSON_ONLY if obj.is_company else self.COMPANY_ONLY
        shown = []
        for title, options in fieldsets:
            fields = []
            for entry in options["fields"]:
                kept = tuple(name for name in entry if name not in hidden) if isinstance(entry, tuple) else entry
                if kept and kept not in hidden:
                    fields.append(kept)
            if fields:
                shown.append((title, {**options, "fields": tuple(fields)}))
        return shown

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contact]:
        visible = contact_visibility_q(user=request.user)
        return super().get_queryset(request).filter(visible).prefetch_related("tags")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Contact], search_term: str
    ) -> tuple[QuerySet[Contact], bool]:
        """The contacts search (contacts/search.py), the same as in the UI and every dialect."""
        return queryset.filter(search_q(search_term)), False

    def save_model(self, request: HttpRequest, obj: Contact, form: object, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContactType)
class ContactTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "color", "position")
    list_editable = ("position",)
    search_fields = ("name", "code")


@admin.register(ContactStage)
class ContactStageAdmin(admin.ModelAdmin):
    list_display = ("name", "color", "position")
    list_editable = ("position",)
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "color")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ("name", "field_format", "applies_to", "is_required", "position")
    list_filter = ("field_format", "applies_to", "is_required")
    list_editable = ("position",)
    search_fields = ("name",)


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contact", "kind", "author", "created_at")
    list_filter = ("kind",)
    search_fields = ("subject", "content", "contact__display_name")
    autocomplete_fields = ("contact", "author")
    date_hierarchy = "created_at"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at")
    search_fields = ("user__username",)
    readonly_fields = ("key", "created_at", "last_used_at")
    autocomplete_fields = ("user",)


@admin.register(WebForm)
class WebFormAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "is_active", "rate_limit_per_hour", "created_at")
    list_filter = ("is_active", "project")
    search_fields = ("name", "project__name")
    readonly_fields = ("key", "embed_snippet")
    filter_horizontal = ("custom_fields",)
    autocomplete_fields = ("assigned_to", "created_by")

    @admin.display(description="Embeddable HTML")
    def embed_snippet(self, obj: WebForm) -> str:
        if obj.pk is None:
            return "Save the form to get its snippet."
        request = getattr(self, "_request", None)
        base = request.build_absolute_uri("/") if request else "/"
        return format_html("<textarea readonly rows='14' cols='90'>{}</textarea>", webform_snippet(obj, base_url=base))

    def get_form(self, request: HttpRequest, obj: WebForm | None = None, **kwargs: object) -> object:
        self._request = request
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request: HttpRequest, obj: WebForm, form: object, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
