"""Admin for contacts and everything that hangs off them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from contacts.forms.editor import MAX_ADDRESSES, MAX_ITEMS
from contacts.history import changes_text, contact_snapshot, history_record, text_diff, user_text
from contacts.models import (
    Address,
    ApiKey,
    ChangeAction,
    Contact,
    ContactChange,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Note,
    Tag,
    TrashedContact,
    WebForm,
)
from contacts.search import search_q
from contacts.selectors import (
    contact_can_delete,
    contact_changes,
    contact_deletable_q,
    contact_visibility_q,
    contact_visible_q,
)
from contacts.services import (
    contact_delete,
    contact_delete_many,
    contact_purge,
    contact_purge_many,
    contact_restore_many,
)
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


class TrashOnDeleteMixin:
    """Deleting a contact in the admin moves it to the trash, as everywhere else: only those who
    may delete it see the button, nothing hanging off it goes, so the confirmation lists the
    contacts alone."""

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or contact_can_delete(user=request.user, contact=obj))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[list, dict, set, list]:
        objs = list(objs)
        listed = [format_html("{} (to the trash)", obj) for obj in objs]
        return listed, {Contact._meta.verbose_name_plural: len(objs)}, set(), []

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        contact_delete(contact=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        contact_delete_many(contacts=queryset.prefetch_related("projects", "access_list"), user=request.user)


@admin.register(Contact)
class ContactAdmin(TrashOnDeleteMixin, admin.ModelAdmin):
    list_display = ("display_name", "is_company", "company", "job_title", "contact_type", "visibility", "updated_at")
    list_filter = ("is_company", "visibility", "contact_type", "stage", "projects", "tags")
    # The search box shows for any search_fields; get_search_results answers through contacts.search.
    search_fields = ("display_name",)
    list_select_related = ("company", "contact_type")
    autocomplete_fields = ("company", "author", "assigned_to", "access_list")
    filter_horizontal = ("projects",)
    readonly_fields = ("uuid", "display_name", "updated_at", "source_webform", "recent_changes")
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
        (
            "Ownership",
            {"fields": ("author", "source_webform", "assigned_to", "visibility", "access_list", "projects", "tags")},
        ),
        ("Record", {"fields": ("uuid", "display_name", "created_at", "updated_at")}),
        ("History", {"fields": ("recent_changes",)}),
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
        # What the contact holds before the form, its inlines and its lists are saved, read from
        # the database (the form has already put the new values on `obj`).
        obj._history_before = contact_snapshot(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save the inlines and lists, then record the whole save as one history entry."""
        super().save_related(request, form, formsets, change)
        contact = form.instance
        changes = text_diff(before=getattr(contact, "_history_before", {}), after=contact_snapshot(contact))
        action = ChangeAction.UPDATED if change else ChangeAction.CREATED
        history_record(contact=contact, user=request.user, action=action, changes=changes)

    @admin.display(description="Recent changes")
    def recent_changes(self, obj: Contact) -> str:
        """The newest entries of the contact's history, with a link to all of them."""
        if obj.pk is None:
            return "Nothing yet."
        entries = contact_changes(contact=obj)[:RECENT_CHANGES]
        lines = format_html_join(
            "",
            "<li>{} · {} {} · {}: {}</li>",
            (
                (
                    entry.at.strftime("%Y-%m-%d %H:%M"),
                    user_text(entry.user) or "someone",
                    entry.get_action_display(),
                    entry.get_channel_display(),
                    changes_text(entry.changes),
                )
                for entry in entries
            ),
        )
        url = reverse("admin:contacts_contactchange_changelist") + f"?contact__id__exact={obj.pk}"
        return format_html('<ul style="margin:0">{}</ul><a href="{}">All changes</a>', lines, url)


# How many history entries the contact's admin page lists (the rest are one click away).
RECENT_CHANGES = 20


@admin.register(ContactChange)
class ContactChangeAdmin(admin.ModelAdmin):
    """The history, read-only: nobody edits or deletes what was recorded."""

    list_display = ("at", "contact", "user", "action", "channel", "summary")
    list_filter = ("action", "channel")
    list_select_related = ("contact", "user")
    search_fields = ("contact__display_name",)
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContactChange]:
        visible = contact_visible_q(user=request.user, contact_ref="contact_id")
        return super().get_queryset(request).filter(visible)

    @admin.display(description="Changes")
    def summary(self, obj: ContactChange) -> str:
        return changes_text(obj.changes)[:300]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContactChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ContactChange | None = None) -> bool:
        return False


@admin.action(description="Restore the selected contacts")
def restore_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
    try:
        restored = contact_restore_many(
            contacts=queryset.prefetch_related("projects", "access_list"), user=request.user
        )
    except (PermissionDenied, ValidationError) as exc:
        modeladmin.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        return
    modeladmin.message_user(request, f"{len(restored)} contact(s) restored.", messages.SUCCESS)


@admin.action(description="Purge the selected contacts for good", permissions=["delete"])
def purge_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Contact]) -> Any:
    """Django's delete action (its confirmation page lists everything that goes), as a purge."""
    return delete_selected(modeladmin, request, queryset)


@admin.register(TrashedContact)
class TrashedContactAdmin(admin.ModelAdmin):
    """The trash: contacts the user could delete, to restore or purge. Read-only otherwise."""

    list_display = ("display_name", "is_company", "deleted_by", "deleted_at", "days_left")
    list_filter = ("is_company",)
    search_fields = ("display_name",)
    list_select_related = ("deleted_by",)
    actions = (restore_selected, purge_selected)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], Any]:
        """Purging deletes the contact's history with it; the history admin is read-only, so its
        delete permission is not asked for."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(ContactChange._meta.verbose_name))
        return deleted, counts, perms_needed, protected

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contact]:
        return super().get_queryset(request).filter(contact_deletable_q(user=request.user))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Contact], search_term: str
    ) -> tuple[QuerySet[Contact], bool]:
        return queryset.filter(search_q(search_term)), False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return request.user.has_perm("contacts.delete_contact")

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        allowed = request.user.has_perm("contacts.delete_contact")
        return allowed and (obj is None or contact_can_delete(user=request.user, contact=obj))

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        contact_purge(contact=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        contact_purge_many(contacts=queryset.prefetch_related("projects", "access_list"), user=request.user)

    @admin.display(description="Days left")
    def days_left(self, obj: Contact) -> int | None:
        return obj.trash_days_left


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
