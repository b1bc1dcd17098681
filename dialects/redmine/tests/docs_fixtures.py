"""Data for the curl examples of docs/redmine.md (run by docs/test_docs.py on a fresh database).

Ids are predictable because sequences are reset: user 1 is `admin` (password
`admin`, as in the documented curl calls), contact 1 is Ada Lovelace, contact 2
the company Apple Inc., project 1 `support`, project 2 `sales`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contacts.models import WebForm
from contacts.services import apikey_get_or_create, contact_create, note_create
from projects.models import Membership
from projects.services import membership_set, project_create


@pytest.fixture
def docs_redmine(make_user: Callable[..., Any]) -> dict[str, str]:
    admin = make_user("admin", superuser=True, password="admin")
    alice = make_user("alice")
    support = project_create(name="Support", identifier="support", creator=admin)
    project_create(name="Sales", identifier="sales", creator=admin)
    membership_set(project=support, user=alice, role=Membership.Role.MEMBER)
    ada = contact_create(
        user=admin,
        fields={"first_name": "Ada", "last_name": "Lovelace"},
        items=[{"kind": "email", "value": "ada@example.com"}],
        tags=["vip"],
        projects=[support],
    )
    apple = contact_create(
        user=admin,
        fields={"is_company": True, "name": "Apple Inc.", "job_title": "Personal computers"},
        items=[{"kind": "tel", "value": "+1 003 322 43 23"}],
        tags=["vip", "referral"],
        projects=[support],
    )
    note_create(contact=apple, user=admin, content="Called about the order.")
    form = WebForm.objects.create(project=support, name="Website leads", created_by=admin)
    assert (ada.pk, apple.pk) == (1, 2)
    return {"KEY": apikey_get_or_create(user=alice).key, "FORM_KEY": form.key}
