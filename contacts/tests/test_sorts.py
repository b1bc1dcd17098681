"""The list's sorts by a joined column walked by group (contacts/selectors/sorts.py): every page is
the plain ORDER BY's page, the UI list keeps its query count, and SQLite's plan sorts no group."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.forms.lists import sorted_by
from contacts.models import Contact, ContactStage, ContactType
from contacts.selectors import contact_list, contact_list_for_display, contact_page
from contacts.selectors import sorts as walks
from projects.models import Membership
from projects.services import membership_set, project_create

pytestmark = pytest.mark.django_db

WALKED = ["type", "stage", "assignee", "company"]
SORT_KEYS = [f"{way}{key}" for key in WALKED for way in ("", "-")]
FILTERS = [{}, {"is_company": "false"}, {"visibility": "project"}, {"tags": "vip"}]
NAMES = ["Acme", "Beta", "acme", "Zeta"]  # equal names tie, and a lower-case one sorts apart


def walked(qs: Any, *, start: int, limit: int, reverse: bool = False) -> list[int]:
    raw = walks.walked_page_ids(qs, start=start, limit=limit, reverse=reverse, known=10**9)
    assert raw is not None
    with connection.cursor() as cursor:
        cursor.execute(raw.sql, raw.params)
        return [row[0] for row in cursor.fetchall()]


def plain(qs: Any, *, start: int, limit: int, reverse: bool = False) -> list[int]:
    return list((qs.reverse() if reverse else qs).values_list("pk", flat=True)[start : start + limit])


PERSON = st.fixed_dictionaries(
    {
        "type": st.integers(-1, 3),
        "stage": st.integers(-1, 2),
        "assignee": st.integers(-1, 3),
        "company": st.integers(-1, 4),
        "author": st.integers(0, 3),
        "visibility": st.sampled_from(["public", "project", "private"]),
        "in_project": st.booleans(),
        "shared": st.booleans(),
        "trashed": st.integers(0, 9),
        "vip": st.booleans(),
    }
)
WORLD = st.fixed_dictionaries(
    {
        "type_positions": st.lists(st.integers(0, 2), min_size=0, max_size=4),
        "stage_positions": st.lists(st.integers(0, 2), min_size=0, max_size=3),
        "companies": st.lists(st.tuples(st.sampled_from(NAMES), st.booleans()), min_size=0, max_size=5),
        "people": st.lists(PERSON, min_size=0, max_size=24),
    }
)


def build(world: dict[str, Any], users: list[Any], project: Any) -> None:
    """Types and stages of random (tying) positions, companies of equal names (some in the trash),
    people pointing at them, of every visibility, some in the trash."""
    types = [ContactType.objects.create(code=f"w{n}", name=f"W{n}", position=p) for n, p in
             enumerate(world["type_positions"])]  # fmt: skip
    stages = [ContactStage.objects.create(name=f"W{n}", position=p) for n, p in enumerate(world["stage_positions"])]
    now = timezone.now()
    companies = []
    for n, (name, trashed) in enumerate(world["companies"]):
        company = Contact.objects.create(is_company=True, name=name, author=users[n % len(users)], visibility="public")
        if trashed:
            Contact.objects.filter(pk=company.pk).update(deleted_at=now)
        companies.append(company)

    def pick(rows: list[Any], n: int) -> Any:
        return rows[n % len(rows)] if rows and n >= 0 else None

    for n, row in enumerate(world["people"]):
        person = Contact.objects.create(
            first_name=f"P{n}",
            contact_type=pick(types, row["type"]),
            stage=pick(stages, row["stage"]),
            assigned_to=pick(users, row["assignee"]),
            company=pick(companies, row["company"]),
            author=users[row["author"] % len(users)],
            visibility=row["visibility"],
        )
        if row["in_project"]:
            person.projects.add(project)
        if row["shared"]:
            person.access_list.add(users[1])
        if row["vip"]:
            person.tags.add("vip")
        if row["trashed"] == 0:
            Contact.objects.filter(pk=person.pk).update(deleted_at=now - timedelta(days=1))


@pytest.fixture
def cast(make_user: Any) -> dict[str, Any]:
    """A member of a project (who sees some contacts, not all), a superuser, and two more users."""
    alice, bob, carol = (make_user(name) for name in ("alice", "bob", "carol"))
    admin = make_user("root", superuser=True)
    project = project_create(name="P", identifier="p", creator=alice)
    membership_set(project=project, user=bob, role=Membership.Role.MEMBER)
    return {"users": [alice, bob, carol, admin], "readers": [bob, admin], "project": project}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=WORLD, size=st.integers(1, 7), filters=st.sampled_from(FILTERS))
def test_every_page_of_a_walked_sort_is_the_plain_orders_page(cast, world, size, filters):
    with transaction.atomic():
        build(world, cast["users"], cast["project"])
        for user in cast["readers"]:
            for key in SORT_KEYS:
                qs = sorted_by(contact_list(user=user, filters=filters), key)
                everyone = plain(qs, start=0, limit=10**6)
                for start in range(0, len(everyone) + size, size):
                    for reverse in (False, True):
                        got = walked(qs, start=start, limit=size, reverse=reverse)
                        assert got == plain(qs, start=start, limit=size, reverse=reverse), (user, key, start, reverse)
        transaction.set_rollback(True)


@pytest.fixture
def listed_world(cast: dict[str, Any]) -> dict[str, Any]:
    world = {
        "type_positions": [1, 0, 1],
        "stage_positions": [0, 0],
        "companies": [("Acme", False), ("Acme", False), ("Beta", True)],
        "people": [
            {
                "type": n % 4 - 1,
                "stage": n % 3 - 1,
                "assignee": n % 5 - 1,
                "company": n % 4 - 1,
                "author": n,
                "visibility": ["public", "project", "private"][n % 3],
                "in_project": n % 2 == 0,
                "shared": n % 5 == 0,
                "trashed": n % 7,
                "vip": n % 3 == 0,
            }  # fmt: skip
            for n in range(40)
        ],
    }
    build(world, cast["users"], cast["project"])
    return cast


@pytest.mark.parametrize("key", SORT_KEYS)
def test_a_long_lists_page_walks_its_groups_with_the_same_rows(key, listed_world, monkeypatch):
    bob = listed_world["users"][1]
    qs = sorted_by(contact_list_for_display(user=bob, related=("items", "tagged_items")), key)
    total = qs.count()
    expected = [c.pk for c in qs]
    monkeypatch.setattr(walks, "WALK_FROM", 1)
    for start in (0, 5, total - 5):
        with CaptureQueriesContext(connection) as queries:
            page = contact_page(qs, offset=start, limit=5, least=10**6)
        assert [c.pk for c in page] == expected[start : start + 5]
        assert any("crm_w" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("key", SORT_KEYS)
def test_a_short_list_or_a_search_or_a_deep_page_is_sorted(key, listed_world, monkeypatch):
    bob = listed_world["users"][1]
    qs = sorted_by(contact_list(user=bob), key)
    assert walks.walked_page_ids(qs, start=0, limit=25, reverse=False, known=walks.WALK_FROM - 1) is None
    assert walks.walked_page_ids(qs, start=0, limit=25, reverse=False, known=walks.WALK_FROM) is not None
    assert walks.walked_page_ids(qs, start=10**5, limit=25, reverse=False, known=10**5) is None
    searched = sorted_by(contact_list(user=bob, filters={"search": "P1"}), key)
    assert walks.walked_page_ids(searched, start=0, limit=25, reverse=False, known=10**6) is None


def test_an_order_that_is_not_a_walked_sort_is_left_alone(listed_world):
    bob = listed_world["users"][1]
    for qs in (
        sorted_by(contact_list(user=bob), "name"),
        contact_list(user=bob).order_by("contact_type__position", "-pk"),  # ties the other way
        contact_list(user=bob).order_by("contact_type__position"),  # no tie-break
    ):
        assert walks.walked_page_ids(qs, start=0, limit=25, reverse=False, known=10**6) is None


@pytest.fixture
def long_list(cast: dict[str, Any]) -> dict[str, Any]:
    """600 people, most of them public, over three types, two stages, four users and three companies
    (two of one name), some with none of them."""
    users = cast["users"]
    ContactType.objects.all().delete()  # the seeded ones
    ContactStage.objects.all().delete()
    types = [ContactType.objects.create(code=f"w{n}", name=f"W{n}", position=p) for n, p in enumerate([1, 0, 1])]
    stages = [ContactStage.objects.create(name=f"W{n}", position=0) for n in range(2)]
    companies = [
        Contact.objects.create(is_company=True, name=name, author=users[0]) for name in ("Acme", "Acme", "Beta")
    ]
    Contact.objects.bulk_create(
        [Contact(first_name=f"P{n}", display_name=f"P{n}", author=users[n % 3], visibility="private" if n % 9 == 0
                 else "public", contact_type=([None, *types])[n % 4], stage=([None, *stages])[n % 3],
                 assigned_to=([None, *users])[n % 5], company=([None, *companies])[n % 4]) for n in range(600)]
    )  # fmt: skip
    return cast


@pytest.mark.parametrize("key", SORT_KEYS)
def test_the_ui_lists_pages_cost_at_most_seven_queries_walked_or_sorted(
    key, long_list, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(walks, "WALK_FROM", 100)
    bob = long_list["users"][1]
    client.force_login(bob)
    url = reverse("contacts:contact-list")
    client.get(url)  # the session is cached from here on
    qs = sorted_by(contact_list(user=bob), key)
    total = qs.count()
    last = (total + 24) // 25
    # The first pages and the last (read from the far end) are walked; a middle one is sorted: its
    # arms would read more rows than the list holds.
    for page, walk in ((1, True), (2, True), (last // 2, False), (last, True)):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(7):
            response = client.get(url, {"sort": key, "page": str(page), "per_page": "25"})
        assert response.status_code == 200
        assert any("crm_w" in q["sql"] for q in queries.captured_queries) == walk, page
        start = (page - 1) * 25
        assert [c.pk for c in response.context["page"].object_list] == plain(qs, start=start, limit=25), page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("key", SORT_KEYS)
def test_sqlites_plan_reads_each_group_in_index_order(key, listed_world):
    """No arm sorts its group: only the union's few rows are sorted (and the people of companies
    in the trash, and the people of companies of one name among themselves)."""
    qs = sorted_by(contact_list(user=listed_world["users"][1]), key)
    raw = walks.walked_page_ids(qs, start=0, limit=25, reverse=False, known=10**6)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {raw.sql}", raw.params)
        plan = cursor.fetchall()
    parents = {row[0]: row[1] for row in plan}
    arms = {row[0]: row[3] for row in plan if row[3].startswith("CO-ROUTINE crm_a")}
    sorts = []
    for _node, parent, _, detail in plan:
        if detail == "USE TEMP B-TREE FOR ORDER BY":
            while parent and parent not in arms:
                parent = parents.get(parent, 0)
            sorts.append(arms.get(parent, "the union"))
    trashed_arm = ["CO-ROUTINE crm_a2"] if key.lstrip("-") == "company" else []
    assert sorts == [*trashed_arm, "the union"]
    details = " | ".join(row[3] for row in plan)
    if key.lstrip("-") == "company":
        assert "SCAN crm_c USING COVERING INDEX contact_order_idx" in details
    else:
        fk = {"type": "contact_type_id", "stage": "stage_id", "assignee": "assigned_to_id"}[key.lstrip("-")]
        assert f"({fk}=?)" in details
