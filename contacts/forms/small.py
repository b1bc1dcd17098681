"""The small forms of the contact pages: notes, tags, custom fields, web forms (the list's are in `lists`)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts.models import (
    DEFAULT_THANKS_TEXT,
    NOTE_FUTURE_SLACK,
    WEBFORM_FIELDS,
    CustomField,
    Tag,
)
from contacts.selectors import (
    tag_counts,
)
from contacts.services import (
    custom_field_create,
    custom_field_update,
)
from contacts.webforms import FIELD_LABELS


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
    thanks_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        initial=DEFAULT_THANKS_TEXT,
        label="Thank-you text",
        help_text="Shown after a post when there is no thank-you page.",
    )
    errors_back = forms.BooleanField(
        required=False,
        label="Send visitors back to the form's page on errors",
        help_text="The errors go in its address (webform_error[field]=...); otherwise this CRM shows them.",
    )
    use_script = forms.BooleanField(
        required=False,
        label="Post without leaving the page",
        help_text="The HTML loads a small script that shows errors next to each field and the thanks in place.",
    )
    allowed_origins = forms.CharField(
        required=False,
        label="Allowed origins",
        help_text="For the script: the sites the form is on, such as https://shop.example, one per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notify_managers = forms.BooleanField(required=False, label="Email the project's managers about new leads")

    def clean_allowed_origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.cleaned_data["allowed_origins"].split() if line.strip()]
