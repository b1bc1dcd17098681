"""Data for the curl examples of docs/incwo.md (run by docs/test_docs.py on a fresh database).

Ids are predictable because sequences are reset: user 1 is `admin` (password
`admin`), user 2 `alice` (a member of the business file), project 1 the business
file `support`, contact 1 the firm Acme, contact 2 its buyer Jean Dupré.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contacts.models import ContactType
from contacts.services import apikey_get_or_create, contact_create
from projects.models import Membership
from projects.services import membership_set, project_create


@pytest.fixture
def docs_incwo(make_user: Callable[..., Any]) -> dict[str, str]:
    admin = make_user("admin", superuser=True, password="admin")
    alice = make_user("alice")
    support = project_create(name="Support", identifier="support", creator=admin)
    membership_set(project=support, user=alice, role=Membership.Role.MEMBER)
    supplier = ContactType.objects.get_or_create(code="supplier", defaults={"name": "Supplier"})[0]
    acme = contact_create(
        user=admin,
        fields={"is_company": True, "name": "Acme", "registration_number": "732829320", "contact_type": supplier},
        items=[{"kind": "email", "context": "work", "value": "contact@acme.example"}],
        projects=[support],
    )
    jean = contact_create(
        user=admin,
        fields={"salutation": "Mr", "first_name": "Jean", "last_name": "Dupré", "company": acme},
        items=[{"kind": "tel", "tel_type": "cell", "context": "work", "value": "+33 6 12 34 56 78"}],
        addresses=[
            {"context": "work", "street1": "3 rue de la Paix", "postcode": "01000", "city": "Bourg", "country": "FR"}
        ],
        projects=[support],
    )
    assert (acme.pk, jean.pk, support.pk) == (1, 2, 1)
    return {"KEY": apikey_get_or_create(user=alice).key}
