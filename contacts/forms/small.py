"""The small forms of the contact pages: list filters, bulk actions, notes, tags, custom fields, web forms."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from contacts.forms.fields import UserChoiceField, user_choices
from contacts.models import (
    NOTE_FUTURE_SLACK,
    WEBFORM_FIELDS,
    ContactStage,
    ContactType,
    CustomField,
    Tag,
    Visibility,
)
from contacts.selectors import (
    contact_list_by_ids,
    tag_counts,
)
from contacts.services import (
    contact_add_tags_many,
    contact_delete_many,
    contact_link_project_many,
    custom_field_create,
    custom_field_update,
)
from contacts.webforms import FIELD_LABELS
from projects.models import Project
from projects.selectors import project_list, project_list_writable

PAGE_SIZES = (25, 50, 100)
SORTS = {
    "name": "display_name",
    "company": "company__display_name",
    "type": "contact_type__position",
    "updated": "updated_at",
    "created": "created_at",
}


class ContactFilterForm(forms.Form):
    """The contacts list's query string: search, filters, sort and page size."""

    q = forms.CharField(required=False, label="Search")
    tag = forms.ChoiceField(required=False)
    project = forms.ChoiceField(required=False)
    contact_type = forms.ModelChoiceField(ContactType.objects.all(), required=False, empty_label="Any type")
    stage = forms.ModelChoiceField(ContactStage.objects.all(), required=False, empty_label="Any stage")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), ("person", "Persons"), ("company", "Companies")]
    )
    assigned_to = UserChoiceField(user_choices(), required=False, empty_label="Anyone")
    visibility = forms.ChoiceField(required=False, choices=[("", "Any visibility"), *Visibility.choices])
    sort = forms.ChoiceField(required=False, choices=[(s, s) for key in SORTS for s in (key, f"-{key}")])
    per_page = forms.TypedChoiceField(required=False, coerce=int, choices=[(n, n) for n in PAGE_SIZES])

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = user_choices()
        self.fields["tag"].choices = [("", "Any tag")] + [(t.name, t.name) for t in tag_counts(user=user)]
        self.fields["project"].choices = [("", "Any project")] + [(str(p.pk), p.name) for p in project_list(user=user)]

    def filters(self) -> dict[str, Any]:
        """The `contact_list` filters of the valid fields (an invalid one is ignored, not an error)."""
        self.is_valid()
        data = self.cleaned_data
        filters: dict[str, Any] = {}
        if data.get("q"):
            filters["search"] = data["q"]
        if data.get("tag"):
            filters["tags"] = data["tag"]
        if data.get("project"):
            filters["project"] = data["project"]
        for name in ("contact_type", "stage", "assigned_to"):
            if data.get(name):
                filters[name] = data[name].pk
        if data.get("kind"):
            filters["is_company"] = data["kind"] == "company"
        if data.get("visibility"):
            filters["visibility"] = data["visibility"]
        return filters

    def columns(self) -> list[dict[str, str]]:
        """The sortable columns: the sort each header links to and its current aria-sort."""
        self.is_valid()
        current = self.cleaned_data.get("sort") or "name"
        labels = {"name": "Name", "company": "Company", "type": "Type", "updated": "Updated"}
        columns = []
        for key, label in labels.items():
            state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
            columns.append({"key": key, "label": label, "next": f"-{key}" if current == key else key, "state": state})
        return columns

    def order_by(self) -> list[str]:
        self.is_valid()
        sort = self.cleaned_data.get("sort") or "name"
        return [("-" if sort.startswith("-") else "") + SORTS[sort.lstrip("-")]]

    def page_size(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("per_page") or PAGE_SIZES[0]


class BulkActionForm(forms.Form):
    """An action on the selected rows of the contacts list."""

    ACTIONS = [("tag", "Add tag"), ("project", "Add to project"), ("delete", "Delete")]

    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "Select at least one contact."})
    tag = forms.CharField(required=False, max_length=100)
    project = forms.ModelChoiceField(
        Project.objects.none(),
        required=False,
        empty_label="Choose a project",
        widget=forms.Select(attrs={"id": "bulk-project"}),
    )
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_list_writable(user=user)
        # Any integer is accepted here; ids the user may not see are dropped by the services.
        self.fields["ids"].valid_value = lambda value: str(value).isascii() and str(value).isdigit()

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["action"] == "delete" and not self.cleaned_data["confirmed"]

    def perform(self, *, user: AbstractBaseUser) -> str:
        """Run the action through its service and say what happened."""
        data = self.cleaned_data
        contacts = contact_list_by_ids(user=user, ids=data["ids"])
        if data["action"] == "tag":
            count = contact_add_tags_many(contacts=contacts, user=user, tags=[data["tag"]])
            return f"Tagged {count} contact{pluralize(count)} with {data['tag'].strip()}."
        if data["action"] == "project":
            count = contact_link_project_many(contacts=contacts, project=data["project"], user=user)
            return f"Added {count} contact{pluralize(count)} to {data['project']}."
        count = len(contact_delete_many(contacts=contacts, user=user))
        return f"Deleted {count} contact{pluralize(count)}."

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "tag" and not (data.get("tag") or "").strip():
            self.add_error("tag", "Give a tag name.")
        if data.get("action") == "project" and not data.get("project"):
            self.add_error("project", "Choose a project.")
        return data


class NoteForm(forms.Form):
    """A note's kind, subject, text and when it happened (now unless backdated)."""

    kind = forms.ChoiceField(choices=[("note", "Note"), ("call", "Call"), ("meeting", "Meeting"), ("email", "Email")])
    subject = forms.CharField(max_length=255, required=False)
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Note", help_text="Web and email addresses become links."
    )
    created_at = forms.DateTimeField(
        required=False,
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Now, or earlier for a call or meeting that already happened.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["created_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_created_at(self) -> datetime:
        value = self.cleaned_data["created_at"] or timezone.now()
        if value > timezone.now() + NOTE_FUTURE_SLACK:
            raise forms.ValidationError("A note cannot be dated in the future.")
        return value


class TagAddForm(forms.Form):
    tags = forms.CharField(max_length=255, label="Add tags", help_text="Separate tags with commas.")


class TagRenameForm(forms.Form):
    name = forms.CharField(max_length=100)
    color = forms.RegexField(
        regex=r"^(#[0-9a-fA-F]{6})?$", required=False, widget=forms.TextInput(attrs={"type": "color"})
    )


class TagMergeForm(forms.Form):
    """Fold one tag into another, both among the tags the user sees."""

    source = forms.ModelChoiceField(Tag.objects.none(), label="Merge", empty_label="Choose a tag")
    target = forms.ModelChoiceField(Tag.objects.none(), label="into", empty_label="Choose a tag")

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.fields["target"].queryset = tag_counts(user=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise ValidationError("Choose two different tags.")
        return data


class CustomFieldForm(forms.ModelForm):
    choices = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="For list fields: one choice per line."
    )

    class Meta:
        model = CustomField
        fields = ["name", "field_format", "choices", "is_required", "default", "position", "applies_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Validation writes into self.instance; the service compares against the stored field.
        self.stored = copy.copy(self.instance) if self.instance.pk else None
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def save_as(self, *, user: AbstractBaseUser) -> CustomField:
        """Create or change the field through its service (administrators only)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.stored is None:
            return custom_field_create(user=user, fields=data)
        return custom_field_update(field=self.stored, user=user, fields=data)


class WebFormForm(forms.Form):
    name = forms.CharField(max_length=255)
    allowed_fields = forms.MultipleChoiceField(
        choices=[(f, FIELD_LABELS[f]) for f in WEBFORM_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Fields",
        help_text="Leave all unticked for first name, last name, company, phone and email.",
    )
    tags = forms.CharField(max_length=255, required=False, help_text="Given to every lead, comma-separated.")
    redirect_url = forms.URLField(required=False, assume_scheme="https", label="Thank-you page")
