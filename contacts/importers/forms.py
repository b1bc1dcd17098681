"""The forms of the import page: the upload, and the mapping step with its options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from contacts.importers.mapping import IGNORE, target_choices
from contacts.importers.reading import Source
from contacts.importers.running import check_mapping, check_match_target
from contacts.importers.uploads import import_max_bytes, size_text
from contacts.models import CustomField
from projects.selectors import project_list_writable

BY_EMAIL = ""


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or vCard file",
        help_text="A CSV from a spreadsheet, Google Contacts, Outlook or HubSpot (any delimiter and encoding), "
        "or a vCard (.vcf) file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard"}),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self) -> dict[str, Any]:
        if self.too_large:
            raise forms.ValidationError(f"The file is larger than {size_text(import_max_bytes())}, the largest import.")
        return super().clean()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > import_max_bytes():
            raise forms.ValidationError(f"The file is larger than {size_text(import_max_bytes())}, the largest import.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class ImportMappingForm(forms.Form):
    """One select per column (CSV), the projects every row joins, and the update mode."""

    projects = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Add every contact to these projects"
    )
    update_existing = forms.BooleanField(
        required=False, label="Update existing contacts", help_text="A row that matches a contact updates it."
    )
    match_column = forms.ChoiceField(required=False, label="Match existing contacts by")

    def __init__(
        self, *args: Any, source: Source, user: AbstractBaseUser, guessed: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        custom_fields = list(CustomField.objects.all())
        choices = target_choices(custom_fields=custom_fields, extra=guessed)
        self.columns: list[tuple[str, str, bool]] = []  # (header, field name, guessed a target)
        for index, header in enumerate(source.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                choices=choices, required=False, initial=guessed[index] if index < len(guessed) else IGNORE,
                label=header or f"Column {index + 1}",
            )  # fmt: skip
            self.columns.append((header or f"Column {index + 1}", name, bool(guessed[index])))
        self.fields["projects"].choices = [(str(p.pk), p.name) for p in project_list_writable(user=user)]
        headers = [(h, h) for h in source.headers if h]
        self.fields["match_column"].choices = [(BY_EMAIL, "Email address"), *headers]

    def column_fields(self) -> list[tuple[str, Any, bool]]:
        """(header, bound select, whether a target was guessed) per column, for the template."""
        return [(header, self[name], guessed) for header, name, guessed in self.columns]

    def targets(self) -> list[str]:
        return [self.cleaned_data.get(name) or IGNORE for _, name, _ in self.columns]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        targets = self.targets()
        for problem in check_mapping(self.source, targets):
            self.add_error(None, problem)
        if cleaned.get("update_existing") and cleaned.get("match_column") and not self.errors:
            try:
                cleaned["match_target"] = check_match_target(self.source, targets, cleaned["match_column"])
            except ValueError as exc:
                self.add_error("match_column", str(exc))
        return cleaned

    def job_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "targets": self.targets(),
            "projects": [int(pk) for pk in data.get("projects") or []],
            "update_existing": bool(data.get("update_existing")),
            "match_target": data.get("match_target", "") if data.get("update_existing") else "",
        }
