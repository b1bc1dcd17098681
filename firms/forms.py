"""HTML forms of the firm pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from contacts.forms import CompanyField, company_named
from contacts.models import Contact
from contacts.selectors import company_choices


class FirmMergeForm(forms.Form):
    """Pick the company this one is folded into (among those the user may see) with the company picker."""

    target = CompanyField(Contact.objects.none(), required=False)
    target_search = forms.CharField(
        max_length=255, required=False, label="Merge into", help_text="Type a few letters of its name, then pick it."
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, source: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.source = user, source
        self.fields["target"].queryset = company_choices(user=user).exclude(pk=source.pk)

    def clean(self) -> dict[str, Any]:
        """A picked id wins; without one (no JavaScript), the typed name is looked up."""
        data = super().clean()
        text = (data.get("target_search") or "").strip()
        if data.get("target") is None and "target" not in self.errors:
            if not text:
                raise ValidationError("Choose a company to merge into.")
            data["target"] = company_named(
                self, field="target_search", user=self.user, name=text, exclude=self.source.pk
            )
        return data

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)
