"""The contacts list's forms: its query string (search, filters, sort, page size), bulk actions, saved views.

Every choice the list's menus offer (tags, projects, types, stages, users, custom fields) is read
once per request by `ListChoices` and shared by the forms, so the page costs the same number of
queries whatever it shows.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.utils import timezone

from contacts.models import Contact, ContactItem, ContactStage, ContactType, CustomField, SavedView, Visibility
from contacts.selectors import ListMenus, list_menus
from projects.models import Project
from projects.selectors import WRITE_ROLES

PAGE_SIZES = (25, 50, 100)


def _first_item(kind: str) -> Subquery:
    """A contact's first item of a kind in display order (the one the list shows)."""
    items = ContactItem.objects.filter(contact_id=OuterRef("pk"), kind=kind).order_by("position", "id")
    return Subquery(items.values("value")[:1])


# What each sortable column orders by. Name, updated and created read an index that ends with the
# id and visibility's columns (a page costs O(page) at any size); a long list sorted by company,
# type, stage or assignee walks its groups (contacts/selectors/sorts.py); email and phone sort the
# matching rows (see docs/ui.md, "Sorting").
SORTS: dict[str, Any] = {
    "name": F("display_name"),
    "company": F("company__display_name"),
    "email": _first_item(ContactItem.Kind.EMAIL),
    "phone": _first_item(ContactItem.Kind.TEL),
    "type": F("contact_type__position"),
    "stage": F("stage__position"),
    "assignee": F("assigned_to__username"),
    "updated": F("updated_at"),
    "created": F("created_at"),
}
INDEXED_SORTS = frozenset({"name", "updated", "created"})
COLUMN_LABELS = {
    "name": "Name",
    "company": "Company",
    "email": "Email",
    "phone": "Phone",
    "type": "Type",
    "stage": "Stage",
    "assignee": "Assignee",
    "updated": "Updated",
    "created": "Created",
}
TAG_MODES = [("all", "All of them"), ("any", "Any of them")]
TEXT_OPS = [("equals", "is"), ("contains", "contains")]


def sort_order(sort: str) -> list[OrderBy]:
    """The `order_by` of a sort key such as "name" or "-updated" (contact_list adds the id).

    A subquery sort (email, phone) orders by its annotation `sort_value`: see `sorted_by`.
    """
    expression = SORTS[sort.lstrip("-")]
    if isinstance(expression, Subquery):
        expression = F("sort_value")
    if sort.startswith("-"):
        # Ties broken by the id in the same direction: the index is then read backwards, as a whole.
        return [expression.desc(), F("pk").desc()]
    return [expression.asc()]


def sorted_by(qs: QuerySet[Contact], sort: str) -> QuerySet[Contact]:
    """`qs` in the order of a sort key, ending with the id (a subquery sort as an annotation, which
    the page's rows then read with it)."""
    expression = SORTS[sort.lstrip("-")]
    if isinstance(expression, Subquery):
        qs = qs.annotate(sort_value=expression)
    return qs.order_by(*sort_order(sort), "pk")


def user_label(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


class ListChoices:
    """The choices of the list's menus, all read in one query when first needed (`list_menus`)."""

    def __init__(self, *, user: AbstractBaseUser) -> None:
        self.user = user

    @cached_property
    def menus(self) -> ListMenus:
        return list_menus(user=self.user)

    @property
    def tags(self) -> list[str]:
        return self.menus.tags

    @property
    def projects(self) -> list[Project]:
        return self.menus.projects

    @cached_property
    def writable_projects(self) -> list[Project]:
        return [p for p in self.projects if p.role in WRITE_ROLES]

    @cached_property
    def member_projects(self) -> list[Project]:
        return [p for p in self.projects if p.role is not None]

    @property
    def types(self) -> list[ContactType]:
        return self.menus.types

    @property
    def stages(self) -> list[ContactStage]:
        return self.menus.stages

    @property
    def users(self) -> list[AbstractBaseUser]:
        return self.menus.users

    @property
    def custom_fields(self) -> list[CustomField]:
        return self.menus.custom_fields

    @property
    def saved_views(self) -> list[SavedView]:
        return self.menus.saved_views


def _pk_choices(objects: list[Any], label: Any = str) -> list[tuple[str, str]]:
    return [(str(o.pk), label(o)) for o in objects]


def _day_start(day: date) -> str:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).isoformat()


def _day_end(day: date) -> str:
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone()).isoformat()


class ContactFilterForm(forms.Form):
    """The contacts list's query string: search, filters, sort and page size.

    Each custom field adds `cf_<id>` (the value) and, for text-like fields, `cf_<id>_op`
    (equals or contains); list fields take one of their choices.
    """

    q = forms.CharField(required=False, label="Search")
    tag = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Tags")
    tag_mode = forms.ChoiceField(required=False, choices=TAG_MODES, widget=forms.RadioSelect, label="Match")
    project = forms.ChoiceField(required=False)
    contact_type = forms.ChoiceField(required=False)
    stage = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), ("person", "Persons"), ("company", "Companies")]
    )
    assigned_to = forms.ChoiceField(required=False)
    visibility = forms.ChoiceField(required=False, choices=[("", "Any visibility"), *Visibility.choices])
    created_from = forms.DateField(required=False, label="Created from", widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(required=False, label="Created to", widget=forms.DateInput(attrs={"type": "date"}))
    updated_from = forms.DateField(required=False, label="Updated from", widget=forms.DateInput(attrs={"type": "date"}))
    updated_to = forms.DateField(required=False, label="Updated to", widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(required=False, choices=[(s, s) for key in SORTS for s in (key, f"-{key}")])
    per_page = forms.TypedChoiceField(required=False, coerce=int, choices=[(n, n) for n in PAGE_SIZES])

    # Fields of the query string that are not filters, left out of a saved view or bulk action.
    NOT_FILTERS = frozenset({"per_page"})

    def __init__(self, *args: Any, user: AbstractBaseUser, choices: ListChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices or ListChoices(user=user)
        self.fields["tag"].choices = [(name, name) for name in self.choices.tags]
        self.fields["project"].choices = [("", "Any project"), *_pk_choices(self.choices.projects)]
        self.fields["contact_type"].choices = [("", "Any type"), *_pk_choices(self.choices.types)]
        self.fields["stage"].choices = [("", "Any stage"), *_pk_choices(self.choices.stages)]
        self.fields["assigned_to"].choices = [("", "Anyone"), *_pk_choices(self.choices.users, user_label)]
        for field in self.choices.custom_fields:
            name = f"cf_{field.pk}"
            if field.is_list:
                self.fields[name] = forms.ChoiceField(
                    required=False, label=field.name, choices=[("", "Any"), *((c, c) for c in field.choices)]
                )
            elif field.field_format == CustomField.Format.BOOLEAN:
                self.fields[name] = forms.ChoiceField(
                    required=False, label=field.name, choices=[("", "Any"), ("1", "Yes"), ("0", "No")]
                )
            else:
                self.fields[name] = forms.CharField(required=False, label=field.name, max_length=255)
                self.fields[f"{name}_op"] = forms.ChoiceField(
                    required=False, label=f"{field.name}: how", choices=TEXT_OPS
                )

    def custom_rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        """Each custom field's value input and, for text-like ones, its equals/contains choice."""
        return [
            (self[f"cf_{f.pk}"], self[f"cf_{f.pk}_op"] if f"cf_{f.pk}_op" in self.fields else None)
            for f in self.choices.custom_fields
        ]

    def filters(self) -> dict[str, Any]:
        """The `contact_list` filters of the valid fields (an invalid one is ignored, not an error)."""
        self.is_valid()
        data = self.cleaned_data
        filters: dict[str, Any] = {}
        if data.get("q"):
            filters["search"] = data["q"]
        if data.get("tag"):
            filters["any_tag" if data.get("tag_mode") == "any" else "tags"] = ",".join(data["tag"])
        for name in ("project", "contact_type", "stage", "assigned_to", "visibility"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("kind"):
            filters["is_company"] = data["kind"] == "company"
        for prefix in ("created", "updated"):
            if data.get(f"{prefix}_from"):
                filters[f"{prefix}_after"] = _day_start(data[f"{prefix}_from"])
            if data.get(f"{prefix}_to"):
                filters[f"{prefix}_before"] = _day_end(data[f"{prefix}_to"])
        for field in self.choices.custom_fields:
            value = (data.get(f"cf_{field.pk}") or "").strip()
            if not value:
                continue
            if field.is_multiple:
                filters[f"cf_{field.pk}__choice"] = value
            elif data.get(f"cf_{field.pk}_op") == "contains":
                filters[f"cf_{field.pk}__contains"] = value
            else:
                filters[f"cf_{field.pk}"] = value
        return filters

    def is_filtered(self) -> bool:
        return bool(self.filters())

    def query(self, *, keep_page_size: bool = False) -> str:
        """The query string of the valid fields given, without the page: what a saved view keeps."""
        self.is_valid()
        kept = QueryDict(mutable=True)
        for name in self.fields:
            if name not in self.cleaned_data or (name in self.NOT_FILTERS and not keep_page_size):
                continue
            values = [v for v in self.data.getlist(name) if str(v).strip()] if hasattr(self.data, "getlist") else []
            if values and self.cleaned_data[name] not in (None, "", []):
                kept.setlist(name, values)
        return kept.urlencode()

    def current_sort(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or "name"

    def columns(self) -> dict[str, dict[str, str]]:
        """The sortable columns by key: the sort each header links to and its current aria-sort."""
        current = self.current_sort()
        columns = {}
        for key, label in COLUMN_LABELS.items():
            state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
            columns[key] = {"key": key, "label": label, "next": f"-{key}" if current == key else key, "state": state}
        return columns

    def apply_sort(self, qs: QuerySet[Contact]) -> QuerySet[Contact]:
        """`qs` in the order the list asks for (see `sorted_by`)."""
        return sorted_by(qs, self.current_sort())

    def page_size(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("per_page") or PAGE_SIZES[0]


class BulkActionForm(forms.Form):
    """An action on the ticked rows of the contacts list, or on every contact its filter matches.

    `scope` "selected" acts on `ids`; "all" on every contact the list's query string (`query`)
    matches, re-read on the server with the user's visibility.
    """

    ACTIONS = [
        ("tag", "Add tags"),
        ("untag", "Remove tags"),
        ("project", "Add to project"),
        ("unproject", "Remove from project"),
        ("assign", "Assign to"),
        ("type", "Change type"),
        ("stage", "Change stage"),
        ("visibility", "Set visibility"),
        ("export", "Export CSV"),
        ("delete", "Delete"),
    ]
    SCOPES = [("selected", "The selected contacts"), ("all", "Every matching contact")]

    action = forms.ChoiceField(choices=ACTIONS)
    scope = forms.ChoiceField(choices=SCOPES, required=False)
    query = forms.CharField(required=False, max_length=4000)
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    tag = forms.CharField(required=False, max_length=255)
    project = forms.ChoiceField(required=False, widget=forms.Select(attrs={"id": "bulk-project"}))
    assigned_to = forms.ChoiceField(required=False, widget=forms.Select(attrs={"id": "bulk-assignee"}))
    contact_type = forms.ChoiceField(required=False, widget=forms.Select(attrs={"id": "bulk-type"}))
    stage = forms.ChoiceField(required=False, widget=forms.Select(attrs={"id": "bulk-stage"}))
    visibility = forms.ChoiceField(
        required=False, choices=Visibility.choices, widget=forms.Select(attrs={"id": "bulk-visibility"})
    )
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, choices: ListChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.choices = choices or ListChoices(user=user)
        # Any integer is accepted here; ids the user may not see are never read.
        self.fields["ids"].valid_value = lambda value: str(value).isascii() and str(value).isdigit()
        self.fields["project"].choices = [("", "Choose a project"), *_pk_choices(self.choices.projects)]
        self.fields["assigned_to"].choices = [("", "Nobody"), *_pk_choices(self.choices.users, user_label)]
        self.fields["contact_type"].choices = [("", "No type"), *_pk_choices(self.choices.types)]
        self.fields["stage"].choices = [("", "No stage"), *_pk_choices(self.choices.stages)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if data.get("scope") != "all" and not data.get("ids") and "ids" not in self.errors:
            self.add_error("ids", "Select at least one contact.")
        if action in ("tag", "untag") and not (data.get("tag") or "").strip():
            self.add_error("tag", "Give a tag name.")
        if action in ("project", "unproject") and not data.get("project"):
            self.add_error("project", "Choose a project.")
        return data

    def filter_form(self) -> ContactFilterForm:
        """The list's filter as sent with the action (for scope "all")."""
        return ContactFilterForm(QueryDict(self.cleaned_data.get("query") or ""), user=self.user, choices=self.choices)

    def selection(self) -> dict[str, Any]:
        """What the action applies to, as `contacts.services.bulk` takes it: the filters, or the ids."""
        if self.cleaned_data.get("scope") == "all":
            return {"filters": self.filter_form().filters(), "ids": None}
        return {"filters": {}, "ids": self.cleaned_data["ids"]}

    def value(self) -> Any:
        """The action's argument in plain values (ids, names), as a background job keeps it."""
        data, action = self.cleaned_data, self.cleaned_data["action"]
        if action in ("tag", "untag"):
            return [part.strip() for part in data["tag"].split(",") if part.strip()]
        field = {"assign": "assigned_to", "type": "contact_type", "stage": "stage", "visibility": "visibility"}
        field |= {"project": "project", "unproject": "project"}
        if action not in field:
            return None
        raw = data.get(field[action]) or None
        return raw if action == "visibility" or raw is None else int(raw)

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["action"] == "delete" and not self.cleaned_data["confirmed"]

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)


class SavedViewForm(forms.Form):
    """Save the list's current filter and sort under a name, personal or shared with a project."""

    name = forms.CharField(max_length=100)
    project = forms.ChoiceField(required=False, label="Share with", widget=forms.Select(attrs={"id": "view-project"}))
    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput(attrs={"data-view-query": ""}))

    def __init__(self, *args: Any, user: AbstractBaseUser, choices: ListChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices or ListChoices(user=user)
        self.fields["project"].choices = [("", "Only me"), *_pk_choices(self.choices.member_projects)]

    def clean_query(self) -> str:
        """Only the list's own fields with valid values are kept (and never the page)."""
        raw = (self.cleaned_data.get("query") or "").lstrip("?")
        return ContactFilterForm(QueryDict(raw), user=self.choices.user, choices=self.choices).query()

    def project_object(self) -> Project | None:
        pk = self.cleaned_data.get("project")
        return next((p for p in self.choices.member_projects if str(p.pk) == pk), None)


__all__ = [
    "INDEXED_SORTS",
    "PAGE_SIZES",
    "SORTS",
    "BulkActionForm",
    "ContactFilterForm",
    "ListChoices",
    "SavedViewForm",
    "sort_order",
]
