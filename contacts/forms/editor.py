"""The contact editor: the contact form with its item and address formsets.

The forms only parse what a browser sends. Every rule is applied by
`contacts.services`; its ValidationError keys (`first_name`, `items[1].value`,
`addresses[0]`, `custom_fields[3]`, `tags`) are mapped back onto the form or
formset row that produced them, so each message shows next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from contacts.duplicates import DuplicateMatch, duplicate_matches, match_values
from contacts.forms.fields import (
    COMPANY_ERRORS,
    DATE_INPUT,
    CompanyField,
    UserChoiceField,
    UserMultipleChoiceField,
    user_choices,
)
from contacts.models import (
    BIRTHDAY_MIN,
    PRIORITY_MAX,
    PRIORITY_MIN,
    Address,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    Visibility,
)
from contacts.selectors import (
    companies_named,
    company_choices,
    contact_tags,
)
from contacts.services import (
    company_for_name,
    contact_create,
    contact_update,
    split_tag_list,
)
from contacts.versions import ContactChanged, contact_version
from crm.ids import parse_id
from projects.models import Project
from projects.selectors import project_list_writable

NESTED_KEY = re.compile(r"^(items|addresses)\[(\d+)\](?:\.(\w+))?$")
CUSTOM_KEY = re.compile(r"^custom_fields\[(\w+)\]$")


# What the value of each kind of item accepts, shown under the value before anything is typed.
ITEM_HINTS = {
    ContactItem.Kind.TEL: "Any format, e.g. +1 383 224 4242",
    ContactItem.Kind.EMAIL: "E.g. ada@example.com",
    ContactItem.Kind.URL: "With or without https://",
    ContactItem.Kind.SKYPE: "The Skype name",
    ContactItem.Kind.MESSENGER: "The user name or number on that messenger",
    ContactItem.Kind.SOCIAL: "The profile's address or handle",
}


class ItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ContactItem.Kind.choices, initial=ContactItem.Kind.TEL)
    tel_type = forms.ChoiceField(choices=[("", "—"), *ContactItem.TelType.choices], required=False, label="Phone type")
    context = forms.ChoiceField(choices=ContactItem.Context.choices, initial=ContactItem.Context.WORK)
    value = forms.CharField(max_length=255, required=False)
    is_primary = forms.BooleanField(required=False, label="Primary")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self["kind"].value() if self.is_bound else self.initial.get("kind", ContactItem.Kind.TEL)
        self.fields["value"].help_text = ITEM_HINTS.get(kind, ITEM_HINTS[ContactItem.Kind.TEL])

    def payload(self, position: int) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("kind", "tel_type", "context", "value", "is_primary")}
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
        return data | {"position": position}

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("value") or "").strip()


class AddressForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    street1 = forms.CharField(max_length=255, required=False, label="Street")
    street2 = forms.CharField(max_length=255, required=False, label="Street (line 2)")
    city = forms.CharField(max_length=255, required=False)
    region = forms.CharField(max_length=255, required=False)
    postcode = forms.CharField(max_length=30, required=False)
    country = LazyTypedChoiceField(choices=[("", "—"), *countries], required=False)
    context = forms.ChoiceField(choices=Address.Context.choices, initial=Address.Context.WORK)
    is_primary = forms.BooleanField(required=False, label="Primary")

    LINES = ("street1", "street2", "city", "region", "postcode", "country")

    def payload(self, position: int) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in (*self.LINES, "context", "is_primary")}
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
        return data | {"position": position}

    def is_blank(self) -> bool:
        return not any(str(self.cleaned_data.get(name) or "").strip() for name in self.LINES)


# A contact has a handful of items and addresses; a body announcing more rows is refused before
# any row form is built, so a forged TOTAL_FORMS cannot make one request build thousands of forms.
MAX_ITEMS = 50
MAX_ADDRESSES = 20


def sized_formset(form: type[forms.Form], *, cap: int, existing: int) -> type[forms.BaseFormSet]:
    """A formset of at most `cap` rows, or of the contact's own rows where it already has more.

    A contact written through an API may hold more rows than the editor's cap; it must still open
    and save in the editor (keeping every row), so its own count is the limit then.
    """
    limit = max(cap, existing)
    return forms.formset_factory(form, extra=0, can_delete=True, max_num=limit, validate_max=True, absolute_max=limit)


def custom_form_field(field: CustomField) -> forms.Field | None:
    """The form field that edits a custom field, chosen by its format (None for a heading)."""
    fmt = CustomField.Format
    common: dict[str, Any] = {"label": field.name, "required": False}
    choices = [(c, c) for c in field.choices]
    by_format: dict[str, Any] = {
        fmt.STRING: lambda: forms.CharField(max_length=255, **common),
        fmt.TEXT: lambda: forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common),
        fmt.INTEGER: lambda: forms.IntegerField(**common),
        fmt.DECIMAL: lambda: forms.DecimalField(**common),
        fmt.DATE: lambda: forms.DateField(widget=DATE_INPUT, **common),
        fmt.BOOLEAN: lambda: forms.BooleanField(**common),
        fmt.LIST: lambda: forms.ChoiceField(choices=[("", "—"), *choices], **common),
        fmt.MULTI_LIST: lambda: forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        ),
        fmt.URL: lambda: forms.URLField(assume_scheme="https", **common),
        fmt.EMAIL: lambda: forms.EmailField(**common),
    }
    make = by_format.get(field.field_format)
    if make is None:
        return None
    form_field = make()
    form_field.is_required_custom = field.is_required
    return form_field


class ContactForm(forms.Form):
    """The contact's own fields, its tags and projects, and one field per custom field."""

    salutation = forms.CharField(max_length=30, required=False)
    first_name = forms.CharField(max_length=255, required=False)
    middle_name = forms.CharField(max_length=255, required=False)
    last_name = forms.CharField(max_length=255, required=False)
    name = forms.CharField(max_length=255, required=False, label="Company name")
    registration_number = forms.CharField(max_length=50, required=False, help_text="E.g. a French SIREN.")
    vat_number = forms.CharField(max_length=50, required=False, label="VAT number")
    company = CompanyField(Contact.objects.none(), required=False)
    company_search = forms.CharField(
        max_length=255,
        required=False,
        label="Company",
        help_text="Type a few letters of the company's name, then pick it.",
    )
    job_title = forms.CharField(max_length=255, required=False)
    department = forms.CharField(max_length=255, required=False)
    industry = forms.CharField(max_length=255, required=False)
    birthday = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": BIRTHDAY_MIN.isoformat()}, format="%Y-%m-%d"),
        help_text="From 1900 to today.",
    )
    contact_type = forms.ModelChoiceField(ContactType.objects.all(), required=False, empty_label="—", label="Type")
    stage = forms.ModelChoiceField(ContactStage.objects.all(), required=False, empty_label="—")
    currency = forms.CharField(
        max_length=3,
        required=False,
        help_text="3-letter code, e.g. EUR",
        error_messages={"max_length": "A currency is a 3-letter code, e.g. EUR (this has %(show_value)d letters)."},
    )
    priority = forms.IntegerField(
        required=False, min_value=PRIORITY_MIN, max_value=PRIORITY_MAX, help_text="A whole number."
    )
    assigned_to = UserChoiceField(user_choices(), required=False, empty_label="Nobody")
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PUBLIC)
    access_list = UserMultipleChoiceField(
        user_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who else may see it",
        help_text="A private contact is seen by its author, its assignee and the people ticked here.",
    )
    avatar = forms.ImageField(required=False)
    background = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    tags = forms.CharField(required=False, help_text="Separate tags with commas.")
    # The version the form was opened at: a save over someone else's newer change is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    projects = forms.ModelMultipleChoiceField(
        Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Sent by the "Save anyway" button of the duplicate warning.
    save_anyway = forms.BooleanField(required=False)
    # Sent by the picker's "Create company 'X' and save" button (offered when the typed company
    # name is unknown): the confirmation to create that company with the contact.
    create_company = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)
    # Set by clean(): the unknown company name typed (to offer creating it), or the one to create.
    unknown_company = ""
    company_to_create = ""

    PERSON_ONLY = (
        "salutation",
        "first_name",
        "middle_name",
        "last_name",
        "company",
        "company_search",
        "create_company",
        "job_title",
        "department",
        "birthday",
    )
    COMPANY_ONLY = ("name", "registration_number", "vat_number")
    CONTACT_FIELDS = [
        "salutation",
        "first_name",
        "middle_name",
        "last_name",
        "name",
        "registration_number",
        "vat_number",
        "company",
        "job_title",
        "department",
        "industry",
        "birthday",
        "contact_type",
        "stage",
        "currency",
        "priority",
        "assigned_to",
        "visibility",
        "background",
    ]

    def __init__(self, *args: Any, user: AbstractBaseUser, is_company: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_company = is_company
        for name in self.COMPANY_ONLY if not is_company else self.PERSON_ONLY:
            del self.fields[name]
        self.user = user
        if "birthday" in self.fields:
            self.fields["birthday"].widget.attrs["max"] = timezone.localdate().isoformat()
        if "company" in self.fields:
            self.fields["company"].queryset = company_choices(user=user)
            current = self.initial.get("company")
            if isinstance(current, Contact) and current.deleted_at is not None:
                # A company in the trash stays the person's company until it is restored or purged.
                visible = Q(pk__in=company_choices(user=user).values("pk")) | Q(pk=current.pk)
                self.fields["company"].queryset = Contact.objects.filter(visible).only("pk", "display_name")
                self.fields["company_search"].help_text = "This company is in the trash."
            if not self.is_bound:
                self._initial_company()
        self.fields["assigned_to"].queryset = self.fields["access_list"].queryset = user_choices()
        self.fields["projects"].queryset = project_list_writable(user=user)
        self.custom_fields = [
            f for f in CustomField.objects.all() if f.applies_to in ("both", "companies" if is_company else "persons")
        ]
        for custom in self.custom_fields:
            form_field = custom_form_field(custom)
            if form_field is not None:
                self.fields[f"cf_{custom.pk}"] = form_field

    def _initial_company(self) -> None:
        """Show the initial company's name in the picker (an id from the query string only if visible)."""
        company = self.initial.get("company")
        if company is not None and not isinstance(company, Contact):
            pk = parse_id(company)
            found = self.fields["company"].queryset.filter(pk=pk).first() if pk is not None else None
            self.initial["company"] = str(found.pk) if found else None
            company = found
        self.initial["company_search"] = company.display_name if company else ""

    def clean(self) -> dict[str, Any]:
        """The picker's text decides: blank is no company; a name other than the chosen id's is looked up."""
        data = super().clean()
        if "company_search" not in data or "company" in self.errors:
            return data
        text, company = data["company_search"].strip(), data.get("company")
        if not text:
            data["company"] = None
        elif company is None or company.display_name.strip().lower() != text.lower():
            found = companies_named(user=self.user, name=text)
            confirmed = data.get("create_company", "").strip().lower() == text.lower()
            data["company"] = found[0] if len(found) == 1 else None
            if not found and confirmed:
                self.company_to_create = text  # created with the contact, in its transaction
            elif len(found) != 1:
                self.unknown_company = "" if found else text
                self.add_error("company_search", COMPANY_ERRORS[bool(found)].format(name=text))
        return data

    def custom_bound_fields(self) -> list[tuple[CustomField, forms.BoundField | None]]:
        """Custom fields in order, headings included (with no form field), for the template."""
        return [(f, self[f"cf_{f.pk}"] if f"cf_{f.pk}" in self.fields else None) for f in self.custom_fields]

    def custom_values(self) -> dict[int, Any]:
        values: dict[int, Any] = {}
        for custom in self.custom_fields:
            name = f"cf_{custom.pk}"
            if name in self.cleaned_data:
                value = self.cleaned_data[name]
                values[custom.pk] = value.isoformat() if hasattr(value, "isoformat") else value
        return values


def contact_initial(contact: Contact) -> dict[str, Any]:
    """The form's initial data from a stored contact (prefetched by `contact_get`)."""
    initial: dict[str, Any] = {name: getattr(contact, name) for name in ContactForm.CONTACT_FIELDS}
    initial["tags"] = ", ".join(t.name for t in contact_tags(contact))
    initial["version"] = contact_version(contact)
    initial["projects"] = list(contact.projects.all())
    initial["access_list"] = list(contact.access_list.all())
    for value in contact.custom_values.all():
        initial[f"cf_{value.field_id}"] = value.typed_value
    return initial


class ContactEditor:
    """The contact form with its item and address formsets, saved through the services."""

    item_hints = ITEM_HINTS

    def __init__(
        self,
        *,
        user: AbstractBaseUser,
        contact: Contact | None = None,
        is_company: bool = False,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        self.user = user
        self.contact = contact
        is_company = contact.is_company if contact is not None else is_company
        items = [self._row(i, ("kind", "tel_type", "context", "value", "is_primary")) for i in _items(contact)]
        addresses = [self._row(a, (*AddressForm.LINES, "context", "is_primary")) for a in _addresses(contact)]
        self.form = ContactForm(
            data,
            files,
            user=user,
            is_company=is_company,
            initial=contact_initial(contact) if contact is not None else dict(initial or {}),
        )
        item_formset = sized_formset(ItemForm, cap=MAX_ITEMS, existing=len(items))
        address_formset = sized_formset(AddressForm, cap=MAX_ADDRESSES, existing=len(addresses))
        self.items = item_formset(data, prefix="items", initial=items or [{"kind": "tel"}, {"kind": "email"}])
        self.addresses = address_formset(data, prefix="addresses", initial=addresses)
        self.conflicts: list[tuple[str, str]] = []
        self.duplicates: list[DuplicateMatch] = []

    @staticmethod
    def _row(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
        return {"id": row.pk} | {name: getattr(row, name) for name in names}

    @property
    def is_company(self) -> bool:
        return self.form.is_company

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.items.is_valid(), self.addresses.is_valid()])

    def _nested(self, formset: forms.BaseFormSet) -> tuple[list[dict[str, Any]], list[forms.Form]]:
        payload: list[dict[str, Any]] = []
        sources: list[forms.Form] = []
        for form in formset.forms:
            if form.cleaned_data.get("DELETE") or form.is_blank():
                continue
            payload.append(form.payload(len(payload)))
            sources.append(form)
        return payload, sources

    def save(self) -> Contact | None:
        """Create or update the contact; on failure, put the errors on the forms and return None."""
        data = self.form.cleaned_data
        fields = {name: data[name] for name in ContactForm.CONTACT_FIELDS if name in data}
        if data.get("avatar"):
            fields["avatar"] = data["avatar"]
        items, item_forms = self._nested(self.items)
        addresses, address_forms = self._nested(self.addresses)
        projects = list(data["projects"])
        kwargs: dict[str, Any] = {
            "user": self.user,
            "fields": fields,
            "items": items,
            "addresses": addresses,
            "custom_values": self.form.custom_values(),
            "tags": split_tag_list(data["tags"]),
        }
        if data["visibility"] == Visibility.PRIVATE:
            kwargs["access_list"] = data["access_list"]
        if not data.get("save_anyway"):
            self.duplicates = self._duplicates(fields, items)
            if self.duplicates:
                return None
        try:
            with transaction.atomic():
                if self.form.company_to_create:
                    kwargs["fields"] = fields = fields | {
                        "company": company_for_name(user=self.user, name=self.form.company_to_create)
                    }
                if self.contact is None:
                    kwargs["fields"] = fields | {"is_company": self.is_company}
                    return contact_create(**kwargs, projects=projects)
                kept = [p for p in self.contact.projects.all() if p not in self.form.fields["projects"].queryset]
                expected = [data["version"]] if data.get("version") else None
                return contact_update(
                    contact=self.contact, **kwargs, projects=projects + kept, expected_versions=expected
                )
        except ContactChanged as exc:
            self._report_conflict(exc.contact)
        except PermissionDenied as exc:
            self.form.add_error(None, str(exc))
        except ValidationError as exc:
            self._map_errors(exc, item_forms, address_forms)
        return None

    def _duplicates(self, fields: dict[str, Any], items: list[dict[str, Any]]) -> list[DuplicateMatch]:
        """Visible contacts sharing an email, a phone or the name and company being saved (on an
        edit, only values the contact did not already have), for the warning shown before saving."""
        emails, phones = match_values(
            emails=[i["value"] for i in items if i["kind"] == ContactItem.Kind.EMAIL],
            phones=[i["value"] for i in items if i["kind"] == ContactItem.Kind.TEL],
        )
        names = {name: fields.get(name) or "" for name in ("first_name", "middle_name", "last_name", "name")}
        company = fields.get("company")
        if self.contact is not None:
            stored = {item.normalized for item in self.contact.items.all()}
            emails, phones = [e for e in emails if e not in stored], [p for p in phones if p not in stored]
            probe = Contact(is_company=self.is_company, **names)
            same_name = probe.compute_display_name().lower() == self.contact.display_name.lower()
            if same_name and (company.pk if company else None) == self.contact.company_id:
                names = {}
        return duplicate_matches(
            user=self.user,
            is_company=self.is_company,
            company_id=company.pk if company else None,
            emails=emails,
            phones=phones,
            exclude=self.contact.pk if self.contact is not None else None,
            **names,
        )

    def _report_conflict(self, current: Contact) -> None:
        """Someone saved the contact after this form was opened: say so, list where the person's
        entry differs from what is stored now (with the stored value), and let a second Save,
        now based on the current version, apply the entry deliberately."""
        self.form.add_error(
            None,
            "Someone else saved this contact after you opened it. Nothing was saved. Where your entry "
            "differs from what is stored now, the stored value is listed below; press Save again to keep yours.",
        )
        for name in self.form.changed_data:
            if name == "version":
                continue
            stored = self.form.initial.get(name)
            if isinstance(stored, list):
                stored = ", ".join(str(value) for value in stored)
            self.conflicts.append(
                (str(self.form.fields[name].label or name.replace("_", " ").capitalize()), str(stored or "(empty)"))
            )
        for formset, label in ((self.items, "Phones, emails and websites"), (self.addresses, "Addresses")):
            if formset.has_changed():
                self.conflicts.append((label, "differ from what is stored"))
        self.form.data = self.form.data.copy()
        self.form.data["version"] = contact_version(current)

    def _map_errors(self, exc: ValidationError, item_forms: list[forms.Form], address_forms: list[forms.Form]) -> None:
        for key, messages in exc.message_dict.items():
            nested = NESTED_KEY.match(key)
            custom = CUSTOM_KEY.match(key)
            if nested:
                forms_of = item_forms if nested.group(1) == "items" else address_forms
                index, field = int(nested.group(2)), nested.group(3)
                target = forms_of[index] if index < len(forms_of) else self.form
                name = field if field in target.fields else None
            elif custom:
                target, name = self.form, f"cf_{custom.group(1)}"
            else:
                target, name = self.form, key
            if name not in target.fields:
                name = None
            for message in messages:
                target.add_error(name, message)


def _items(contact: Contact | None) -> list[ContactItem]:
    return list(contact.items.all()) if contact is not None else []


def _addresses(contact: Contact | None) -> list[Address]:
    return list(contact.addresses.all()) if contact is not None else []
