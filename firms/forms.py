"""HTML forms of the firm pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from contacts.models import Contact
from firms.selectors import firm_list


class FirmMergeForm(forms.Form):
    """Pick the company this one is folded into (among those the user may see)."""

    target = forms.ModelChoiceField(Contact.objects.none(), label="Merge into")

    def __init__(self, *args: Any, user: AbstractBaseUser, source: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = firm_list(user=user).exclude(pk=source.pk)
        self.fields["target"].label_from_instance = lambda firm: firm.display_name
