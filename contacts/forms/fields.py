"""Form fields shared by the contact pages: user pickers, the company picker, the date input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from contacts.models import Contact
from contacts.selectors import companies_named
from crm.ids import parse_id

User = get_user_model()


COMPANY_ERRORS = {
    False: "No company you can see is called {name}: pick one from the suggestions or create it first.",
    True: "Several companies are called {name}: pick the right one from the suggestions.",
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def user_choices() -> QuerySet:
    return User.objects.filter(is_active=True).order_by("username")


class UserLabelMixin:
    """Users are listed by full name, falling back to the user name."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class UserChoiceField(UserLabelMixin, forms.ModelChoiceField):
    pass


def company_named(
    form: forms.Form, *, field: str, user: AbstractBaseUser, name: str, exclude: int | None = None
) -> Contact | None:
    """The one visible company called `name` (a picker's text sent without a picked id), else an error on `field`."""
    found = companies_named(user=user, name=name, exclude=exclude)
    if len(found) == 1:
        return found[0]
    form.add_error(field, COMPANY_ERRORS[bool(found)].format(name=name))
    return None


class UserMultipleChoiceField(UserLabelMixin, forms.ModelMultipleChoiceField):
    pass


class CompanyField(forms.ModelChoiceField):
    """The id of a company the user may see, sent by the company picker's hidden input.

    The picker never lists the companies in the page (there may be thousands);
    an id the user may not see is the same error as one that does not exist.
    """

    widget = forms.HiddenInput
    default_error_messages = {"invalid_choice": "Choose a company you can see."}

    def to_python(self, value: Any) -> Contact | None:
        value = str(value or "").strip()
        if value and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
