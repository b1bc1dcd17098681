"""Admin for projects and their members."""

from __future__ import annotations

from django.contrib import admin

from contacts.models import WebForm
from projects.models import Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


class WebFormInline(admin.TabularInline):
    model = WebForm
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
