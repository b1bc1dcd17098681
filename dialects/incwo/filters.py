"""What an incwo list shows: the business file's persons (`contacts.xml`) or companies (`firms.xml`).

incwo's lists take no filter but `page`; the business file in the URL and the
resource decide, through `contacts.filters.ContactFilter`'s keys.
"""

from __future__ import annotations

from typing import Any

from projects.models import Project


def list_filters(*, project: Project, is_company: bool) -> dict[str, Any]:
    return {"project": str(project.pk), "is_company": is_company}
