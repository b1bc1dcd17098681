"""HTML forms of the contact pages.

The forms only parse what a browser sends. Every rule is applied by
`contacts.services`; its ValidationError keys (`first_name`, `items[1].value`,
`addresses[0]`, `custom_fields[3]`, `tags`) are mapped back onto the form or
formset row that produced them, so each message shows next to its field.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import pluralize
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from contacts.models import (
    WEBFORM_FIELDS,
    Address,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    Tag,
    Visibility,
)
from contacts.selectors import (
    companies_named,
    company_choices,
    contact_list_by_ids,
    contact_tags,
    tag_counts,
)
from contacts.services import (
    contact_add_tags_many,
    contact_create,
    contact_delete_many,
    contact_link_project_many,
    contact_update,
    custom_field_create,
    custom_field_update,
    split_tag_list,
)
from contacts.webforms import FIELD_LABELS
from crm.ids import parse_id
from projects.models import Project
from projects.selectors import project_list, project_list_writable

User = get_user_model()
NESTED_KEY = re.compile(r"^(items|addresses)\[(\d+)\](?:\.(\w+))?$")
CUSTOM_KEY = re.compile(r"^custom_fields\[(\w+)\]$")
PAGE_SIZES = (25, 50, 100)
SORTS = {
    "name": "display_name",
    "company": "company__display_name",
    "type": "contact_type__position",
    "updated": "updated_at",
    "created": "created_at",
}
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


class ItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ContactItem.Kind.choices, initial=ContactItem.Kind.TEL)
    tel_type = forms.ChoiceField(choices=[("", "—"), *ContactItem.TelType.choices], required=False, label="Phone type")
    context = forms.ChoiceField(choices=ContactItem.Context.choices, initial=ContactItem.Context.WORK)
    value = forms.CharField(max_length=255, required=False)
    is_primary = forms.BooleanField(required=False, label="Primary")

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


ItemFormSet = forms.formset_factory(ItemForm, extra=0, can_delete=True)
AddressFormSet = forms.formset_factory(AddressForm, extra=0, can_delete=True)


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
    birthday = forms.DateField(required=False, widget=DATE_INPUT)
    contact_type = forms.ModelChoiceField(ContactType.objects.all(), required=False, empty_label="—", label="Type")
    stage = forms.ModelChoiceField(ContactStage.objects.all(), required=False, empty_label="—")
    currency = forms.CharField(max_length=3, required=False, help_text="ISO 4217, e.g. EUR.")
    priority = forms.IntegerField(required=False)
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
    projects = forms.ModelMultipleChoiceField(
        Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    PERSON_ONLY = ("salutation", "first_name", "middle_name", "last_name", "company", "company_search", "birthday")
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
        if "company" in self.fields:
            self.fields["company"].queryset = company_choices(user=user)
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
            data["company"] = company_named(self, field="company_search", user=self.user, name=text)
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
    initial["projects"] = list(contact.projects.all())
    initial["access_list"] = list(contact.access_list.all())
    for value in contact.custom_values.all():
        initial[f"cf_{value.field_id}"] = value.typed_value
    return initial


class ContactEditor:
    """The contact form with its item and address formsets, saved through the services."""

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
        self.items = ItemFormSet(data, prefix="items", initial=items or [{"kind": "tel"}, {"kind": "email"}])
        self.addresses = AddressFormSet(data, prefix="addresses", initial=addresses)

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
        try:
            if self.contact is None:
                kwargs["fields"] = fields | {"is_company": self.is_company}
                return contact_create(**kwargs, projects=projects)
            kept = [p for p in self.contact.projects.all() if p not in self.form.fields["projects"].queryset]
            return contact_update(contact=self.contact, **kwargs, projects=projects + kept)
        except PermissionDenied as exc:
            self.form.add_error(None, str(exc))
        except ValidationError as exc:
            self._map_errors(exc, item_forms, address_forms)
        return None

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


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=[("note", "Note"), ("call", "Call"), ("meeting", "Meeting"), ("email", "Email")])
    subject = forms.CharField(max_length=255, required=False)
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")


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
