"""The contact filters every face shares (UI query string, dialects after renaming).

`contacts.selectors.contact_list(filters=...)` applies this FilterSet, so a
filter means the same thing in the UI and in every API dialect.

Besides the declared filters, a key `cf_<field id>` keeps contacts whose value of that custom
field is the text given, `cf_<id>__contains` those whose value contains it (ignoring case) and
`cf_<id>__choice` those whose multi-list value holds that choice; these keys are added for the
request only when present, so the filter set reads no custom field to build itself.
"""

from __future__ import annotations

import json
import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from contacts.models import Contact, ContactStage, ContactType, CustomValue, Visibility
from contacts.search import search_q
from crm.ids import parse_id
from projects.models import Project


class ProjectKeyFilter(django_filters.CharFilter):
    """A project by numeric id or identifier."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in (None, ""):
            return qs
        value = str(value).strip()
        pk = parse_id(value)
        # By id, the links of that project alone (the stored counts count such a list); by
        # identifier, of the project that has it.
        links = Q(project_id=pk) if pk is not None else Q(project_id__in=Project.objects.filter(identifier=value))
        return qs.filter(pk__in=Contact.projects.through.objects.filter(links).values("contact_id"))


CUSTOM_KEY = re.compile(r"^cf_(?P<field>[1-9][0-9]{0,17})(?:__(?P<lookup>contains|choice))?$")


class CustomValueFilter(django_filters.CharFilter):
    """Contacts by the stored value of one custom field: equal to, containing, or (multi-list) holding a choice."""

    def __init__(self, *args: Any, custom_field_id: int, lookup: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_field_id = custom_field_id
        self.lookup = lookup

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return qs
        if self.lookup == "contains":
            match = Q(value__icontains=value)
        elif self.lookup == "choice":
            # Multi-list values are stored as a JSON list: the choice appears as a JSON string.
            match = Q(value__contains=json.dumps(value))
        else:
            match = Q(value=value)
        values = CustomValue.objects.filter(match, field_id=self.custom_field_id).values("contact_id")
        return qs.filter(pk__in=values)


class ContactFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search")
    tags = django_filters.CharFilter(method="filter_tags", help_text="Comma-separated; all must match.")
    any_tag = django_filters.CharFilter(method="filter_any_tag", help_text="Comma-separated; one must match.")
    project = ProjectKeyFilter()
    is_company = django_filters.BooleanFilter()
    assigned_to = django_filters.NumberFilter(field_name="assigned_to_id")
    author = django_filters.NumberFilter(field_name="author_id")
    company = django_filters.NumberFilter(field_name="company_id")
    contact_type = django_filters.ModelChoiceFilter(queryset=ContactType.objects.all())
    stage = django_filters.ModelChoiceFilter(queryset=ContactStage.objects.all())
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="lte")

    class Meta:
        model = Contact
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, user: Any = None, **kwargs: Any) -> None:
        # Only the filters the data names take part: an absent one keeps every contact, and
        # copying and validating all of them for each list costs more than a rare term's search.
        named = {str(key) for key in data or ()}
        self.base_filters = {name: f for name, f in type(self).base_filters.items() if name in named}
        super().__init__(data, *args, **kwargs)
        self.user = user
        for key in self.data or {}:
            found = CUSTOM_KEY.match(str(key))
            if found:
                lookup = found["lookup"] or "exact"
                self.filters[key] = CustomValueFilter(custom_field_id=int(found["field"]), lookup=lookup)
                self.filters[key].model = Contact
                self.filters[key].parent = self

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(search_q(value))

    def filter_tags(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for tag in (t.strip() for t in value.split(",")):
            if tag:
                qs = qs.filter(
                    pk__in=Contact.tags.through.objects.filter(tag__name__iexact=tag).values("content_object_id")
                )
        return qs

    def filter_any_tag(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        names = [t.strip() for t in value.split(",") if t.strip()]
        if not names:
            return qs
        match = Q()
        for tag in names:
            match |= Q(tag__name__iexact=tag)
        return qs.filter(pk__in=Contact.tags.through.objects.filter(match).values("content_object_id"))
