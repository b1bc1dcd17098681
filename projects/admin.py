"""Admin for projects and their members."""

from __future__ import annotations

from django.contrib import admin

from contacts.models import WebForm
from crm.admin_inlines import CappedInlineMixin, NewestRowsInlineMixin
from projects.models import Membership, Project


class MembershipInline(NewestRowsInlineMixin, admin.TabularInline):
    """The newest members; every membership is on the Memberships admin page."""

    model = Membership
    verbose_name_plural = "memberships (the newest 20; all of them are under Memberships)"
    extra = 1
    autocomplete_fields = ("user",)


class WebFormInline(CappedInlineMixin, admin.TabularInline):
    model = WebForm
    max_num = 50
    extra = 0
    fields = ("name", "is_active", "redirect_url", "rate_limit_per_hour")
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "identifier", "is_public", "created_at")
    list_filter = ("is_public",)
    search_fields = ("name", "identifier", "description")
    prepopulated_fields = {"identifier": ("name",)}
    inlines = (MembershipInline, WebFormInline)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "project", "role", "created_at")
    list_filter = ("role", "project")
    search_fields = ("user__username", "project__name")
    autocomplete_fields = ("user", "project")
