"""The web form under load on a real deployment: 8 visitors × 250 posts against two gunicorn workers.

Runs on the suite's database engine (a SQLite file, or a fresh PostgreSQL database), so SQLite's one
writer and PostgreSQL's concurrent transactions are both held to the same outcome: every post is
answered without an error and every lead is stored exactly once.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

POSTERS = 8
POSTS_EACH = 250

SETUP = """
from django.contrib.auth import get_user_model
from contacts.models import WebForm
from projects.models import Project
admin = get_user_model().objects.get(username="admin")
project = Project.objects.create(name="Leads", identifier="leads")
form = WebForm.objects.create(
    project=project, name="Site", created_by=admin, rate_limit_per_hour=10**6,
    allowed_fields=["first_name", "last_name", "email"],
)
print(form.key)
"""

COUNT = """
from contacts.models import Contact, ContactItem
print(Contact.objects.filter(projects__identifier="leads").count(),
      ContactItem.objects.filter(kind="email").values("normalized").distinct().count())
"""


def post(url: str, poster: int, n: int) -> int | str:
    body = urllib.parse.urlencode(
        {
            "contact[first_name]": f"Visitor{poster}",
            "contact[last_name]": f"Number{n}",
            "contact[email]": f"v{poster}.{n}@leads.example",
        }
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return f"{error.code} {error.read()[:200]!r}"
    except OSError as error:
        return f"connection: {error}"


def test_eight_concurrent_posters_make_exactly_two_thousand_contacts_with_no_errors(served_crm: Any) -> None:
    key = served_crm.manage("shell", "--no-imports", "-c", SETUP).strip()
    url = served_crm.url(f"/forms/{key}/")

    def poster(number: int) -> list[int | str]:
        return [post(url, number, n) for n in range(POSTS_EACH)]

    with ThreadPoolExecutor(POSTERS) as pool:
        answers = [answer for batch in pool.map(poster, range(POSTERS)) for answer in batch]

    failures = [answer for answer in answers if answer != 201]
    assert failures == []
    contacts, emails = served_crm.manage("shell", "--no-imports", "-c", COUNT).split()
    assert (int(contacts), int(emails)) == (POSTERS * POSTS_EACH, POSTERS * POSTS_EACH)
