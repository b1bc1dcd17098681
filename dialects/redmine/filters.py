"""Redmine's list parameters, renamed to the keys of `contacts.filters.ContactFilter`.

docs/redmine.md, "List parameters": project_id (id or identifier), assigned_to_id,
search, tags; the plugin adds is_company and `sort` (`field` or `field:desc`,
comma-separated, Redmine's sort syntax).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projects.models import Project

BOOLEANS = {"1": "true", "true": "true", "0": "false", "false": "false"}
SORT_FIELDS = {
    "id": "pk",
    "first_name": "first_name",
    "last_name": "last_name",
    "middle_name": "middle_name",
    "name": "display_name",
    "company": "company__display_name",
    "job_title": "job_title",
    "created_on": "created_at",
    "updated_on": "updated_at",
}


def contact_filters(params: Mapping[str, Any], *, user: Any, project: Project | None) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if project is not None:
        filters["project"] = str(project.pk)
    for ours, theirs in (("search", "search"), ("tags", "tags")):
        if params.get(theirs):
            filters[ours] = params[theirs]
    if params.get("is_company", "") != "":
        filters["is_company"] = BOOLEANS.get(str(params["is_company"]).lower(), params["is_company"])
    assigned = params.get("assigned_to_id")
    if assigned:
        # An id past the database's integer matches nobody (and must not reach the database).
        filters["assigned_to"] = str(user.pk) if assigned == "me" else (assigned if len(assigned) < 19 else "0")
    return filters


def contact_ordering(sort: str | None) -> list[str] | None:
    """`sort=last_name,created_on:desc` as order_by fields; unknown names are ignored."""
    ordering: list[str] = []
    for part in (sort or "").split(","):
        name, _, direction = part.strip().partition(":")
        field = SORT_FIELDS.get(name.strip())
        if field:
            ordering.append(f"-{field}" if direction.strip().lower() == "desc" else field)
    return ordering or None
