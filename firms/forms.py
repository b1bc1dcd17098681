"""HTML forms of the firm pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from contacts.forms import ContactChoiceField
from contacts.models import Contact
from contacts.selectors import contact_list


class FirmMergeForm(forms.Form):
    """Pick the company this one is folded into (among those the user may see)."""

    target = ContactChoiceField(Contact.objects.none(), label="Merge into", empty_label="Choose a company")

    def __init__(self, *args: Any, user: AbstractBaseUser, source: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        companies = contact_list(user=user, filters={"is_company": True}, prefetch=False)
        self.fields["target"].queryset = companies.exclude(pk=source.pk).only("pk", "display_name")
