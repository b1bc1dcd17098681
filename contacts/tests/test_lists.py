"""The contacts list page: sorting by every column, filters (tags, dates, custom fields), saved views."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contacts.forms.fields import user_choices
from contacts.forms.lists import INDEXED_SORTS, SORTS, sort_order
from contacts.models import Contact, ContactStage, ContactType, CustomField, SavedView, Visibility
from contacts.selectors import (
    ListMenus,
    contact_list,
    list_menus,
    project_list_with_role,
    saved_view_list,
    tag_counts,
)
from contacts.services import saved_view_create
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db
LIST = reverse("contacts:contact-list")


def listed(client: Any, **params: Any) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [c.display_name for c in response.context["page"].object_list]


# Sorting


@pytest.fixture
def sortable(make_contact, alice, bob):
    """Three persons whose every sortable column puts them in a different order."""
    acme = make_contact(is_company=True, name="Zeta Corp")
    beta = make_contact(is_company=True, name="Beta Corp")
    types = [ContactType.objects.create(code=f"t{n}", name=f"Type {n}", position=10 + n) for n in range(3)]
    stages = [ContactStage.objects.create(name=f"Stage {n}", position=10 + n) for n in range(3)]
    carol = type(alice).objects.create_user(username="carol")
    now = timezone.now()
    rows = [
        ("Anna", acme, "c@example.com", "+1 415 555 0102", types[2], stages[0], bob, 3, 1),
        ("Boris", beta, "a@example.com", "+1 415 555 0103", types[0], stages[1], carol, 1, 3),
        ("Chloe", None, "b@example.com", "+1 415 555 0101", types[1], stages[2], alice, 2, 2),
    ]
    people = {}
    for name, company, email, phone, kind, stage, assignee, updated, created in rows:
        person = make_contact(
            first_name=name,
            last_name="Sort",
            company=company,
            contact_type=kind,
            stage=stage,
            assigned_to=assignee,
            created_at=now - timedelta(days=created),
            items=[{"kind": "email", "value": email}, {"kind": "tel", "value": phone}],
        )
        Contact.objects.filter(pk=person.pk).update(updated_at=now - timedelta(days=updated))
        people[name] = person
    return people


EXPECTED = {
    "name": ["Anna", "Boris", "Chloe"],
    "company": ["Chloe", "Boris", "Anna"],  # no company first on SQLite: reversed on PostgreSQL (nulls last)
    "email": ["Boris", "Chloe", "Anna"],
    "phone": ["Chloe", "Anna", "Boris"],
    "type": ["Boris", "Chloe", "Anna"],
    "stage": ["Anna", "Boris", "Chloe"],
    "assignee": ["Chloe", "Anna", "Boris"],  # alice, bob, carol
    "updated": ["Anna", "Chloe", "Boris"],
    "created": ["Boris", "Chloe", "Anna"],
}


@pytest.mark.parametrize("key", list(SORTS))
def test_every_column_sorts_both_ways(key, sortable, alice_client):
    expected = EXPECTED[key]
    if key == "company" and connection.vendor == "postgresql":
        expected = ["Boris", "Anna", "Chloe"]
    persons = {"kind": "person"}
    assert [n.split()[0] for n in listed(alice_client, sort=key, **persons)] == expected
    assert [n.split()[0] for n in listed(alice_client, sort=f"-{key}", **persons)] == expected[::-1]


def test_a_sort_is_kept_in_the_url_and_the_header_offers_the_other_way(sortable, alice_client):
    html = alice_client.get(LIST, {"sort": "stage", "q": "sort"}).content.decode()
    assert 'aria-sort="ascending" class="hide-phone hide-narrow"><a href="?sort=-stage&amp;q=sort">Stage</a>' in html
    assert 'aria-sort="none" class="hide-phone"><a href="?sort=email&amp;q=sort">Email</a>' in html


@pytest.fixture
def many(make_contact):
    return [make_contact(first_name=f"P{n:02}", last_name="Deep", visibility="project") for n in range(12)]


@pytest.mark.parametrize("key", sorted(INDEXED_SORTS))
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_window_of_an_indexed_sort_is_the_slice_of_the_whole_list(key, direction, many, bob):
    from contacts.selectors import contact_page

    order = sort_order(direction + key)
    qs = contact_list(user=bob, order_by=order)
    whole = list(contact_list(user=bob, order_by=order, prefetch=False).values_list("pk", flat=True))
    for offset in range(0, 13, 3):
        for known in (None, len(whole)):
            assert [c.pk for c in contact_page(qs, offset=offset, limit=4, total=known)] == whole[offset : offset + 4]


def page_plan(user: Any, sort: str) -> str:
    sql, params = (
        contact_list(user=user, order_by=sort_order(sort), prefetch=False).values("pk")[:10].query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny table is otherwise read whole and sorted, which is right for it.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


INDEXES = {"name": "contact_order_idx", "updated": "contact_updated_order_idx", "created": "contact_created_order_idx"}


@pytest.mark.parametrize("sort", ["name", "-name", "updated", "-updated", "created", "-created"])
def test_an_indexed_sort_reads_a_page_of_ids_from_its_index_without_sorting(sort, many, bob):
    plan = page_plan(bob, sort)
    assert INDEXES[sort.lstrip("-")] in plan
    assert "TEMP B-TREE" not in plan
    assert "Sort" not in plan


def test_a_sort_by_a_joined_column_sorts_the_matching_rows(many, bob):
    plan = page_plan(bob, "company")
    assert "TEMP B-TREE FOR ORDER BY" in plan or "Sort" in plan


# Filters


def test_several_tags_match_all_of_them_or_any_of_them(make_contact, alice_client):
    make_contact(first_name="Both", tags=["vip", "partner"])
    make_contact(first_name="Vip", tags=["vip"])
    make_contact(first_name="Partner", tags=["partner"])
    make_contact(first_name="None")
    tags = ["vip", "partner"]
    assert listed(alice_client, tag=tags) == ["Both Lovelace"]
    assert listed(alice_client, tag=tags, tag_mode="all") == ["Both Lovelace"]
    assert listed(alice_client, tag=tags, tag_mode="any") == ["Both Lovelace", "Partner Lovelace", "Vip Lovelace"]
    assert listed(alice_client, tag="vip") == ["Both Lovelace", "Vip Lovelace"]


@pytest.fixture
def custom(db):
    return {
        "plan": CustomField.objects.create(name="Plan", field_format=CustomField.Format.STRING, position=1),
        "tier": CustomField.objects.create(
            name="Tier", field_format=CustomField.Format.LIST, choices=["Gold", "Silver"], position=2
        ),
        "regions": CustomField.objects.create(
            name="Regions", field_format=CustomField.Format.MULTI_LIST, choices=["EU", "US", "EUR"], position=3
        ),
        "active": CustomField.objects.create(name="Active", field_format=CustomField.Format.BOOLEAN, position=4),
    }


def test_custom_field_values_filter_by_equals_contains_and_choice(make_contact, alice_client, custom):
    plan, tier, regions, active = custom["plan"], custom["tier"], custom["regions"], custom["active"]
    make_contact(first_name="One", custom_values={plan.pk: "Pro yearly", tier.pk: "Gold", regions.pk: ["EU", "US"]})
    make_contact(
        first_name="Two", custom_values={plan.pk: "Pro", tier.pk: "Silver", regions.pk: ["EUR"], active.pk: True}
    )
    make_contact(first_name="Three", custom_values={active.pk: False})
    assert listed(alice_client, **{f"cf_{plan.pk}": "Pro"}) == ["Two Lovelace"]
    assert listed(alice_client, **{f"cf_{plan.pk}": "pro", f"cf_{plan.pk}_op": "contains"}) == [
        "One Lovelace",
        "Two Lovelace",
    ]
    assert listed(alice_client, **{f"cf_{tier.pk}": "Gold"}) == ["One Lovelace"]
    assert listed(alice_client, **{f"cf_{regions.pk}": "EU"}) == ["One Lovelace"]
    assert listed(alice_client, **{f"cf_{regions.pk}": "EUR"}) == ["Two Lovelace"]
    assert listed(alice_client, **{f"cf_{active.pk}": "0"}) == ["Three Lovelace"]
    assert listed(alice_client, **{f"cf_{tier.pk}": "Gold", f"cf_{plan.pk}": "Pro"}) == []


def test_a_choice_a_list_field_does_not_offer_is_ignored_not_an_error(make_contact, alice_client, custom):
    make_contact(first_name="One")
    assert listed(alice_client, **{f"cf_{custom['tier'].pk}": "Platinum", "cf_99999": "x"}) == ["One Lovelace"]


def test_the_filters_panel_offers_each_custom_field_with_its_choices(alice_client, custom):
    html = alice_client.get(LIST).content.decode()
    assert f'name="cf_{custom["plan"].pk}_op"' in html
    assert f'name="cf_{custom["tier"].pk}"' in html and '<option value="Silver">' in html
    assert f'name="cf_{custom["tier"].pk}_op"' not in html


def test_created_and_updated_date_ranges_include_both_days(make_contact, alice_client):
    today = timezone.localdate()
    old = make_contact(first_name="Old", created_at=timezone.now() - timedelta(days=10))
    make_contact(first_name="New")
    Contact.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=5))
    ten_ago, five_ago = today - timedelta(days=10), today - timedelta(days=5)
    assert listed(alice_client, created_from=ten_ago, created_to=ten_ago) == ["Old Lovelace"]
    assert listed(alice_client, created_from=today) == ["New Lovelace"]
    assert listed(alice_client, updated_to=five_ago) == ["Old Lovelace"]
    assert listed(alice_client, updated_from=five_ago, updated_to=today) == ["New Lovelace", "Old Lovelace"]
    assert listed(alice_client, created_from="not a date") == ["New Lovelace", "Old Lovelace"]


def test_the_bulk_bar_carries_the_lists_filter_and_sort(make_contact, alice_client):
    make_contact(tags=["vip"])
    html = alice_client.get(LIST, {"tag": "vip", "sort": "-updated", "page": "1", "junk": "x"}).content.decode()
    assert 'name="query" value="tag=vip&amp;sort=-updated"' in html


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_page_costs_the_same_queries_whatever_the_page_size(
    count, make_contact, alice_client, alice, custom, django_assert_max_num_queries
):
    saved_view_create(user=alice, name="Mine", query="tag=vip")
    for n in range(count):
        make_contact(
            first_name=f"N{n}",
            tags=["vip", "partner"],
            items=[{"kind": "tel", "value": "+1 415 555 0100"}, {"kind": "email", "value": f"n{n}@example.com"}],
            custom_values={custom["plan"].pk: "Pro"},
        )
    with django_assert_max_num_queries(7):
        response = alice_client.get(LIST, {"per_page": "100", "sort": "email", "tag": "vip"})
    assert len(response.context["page"].object_list) == count


# Saved views


def test_a_saved_view_keeps_the_filter_and_sort_and_is_picked_from_the_menu(make_contact, alice_client, alice):
    make_contact(first_name="Kept", tags=["vip"])
    make_contact(first_name="Other")
    response = alice_client.post(
        reverse("contacts:savedview-create"), {"name": " VIPs ", "query": "?tag=vip&sort=-name&page=3&junk=1"}
    )
    view = SavedView.objects.get()
    assert (view.name, view.query, view.owner, view.project) == ("VIPs", "tag=vip&sort=-name", alice, None)
    assert response["Location"] == f"{LIST}?tag=vip&sort=-name&view={view.pk}"
    html = alice_client.get(LIST).content.decode()
    assert f'href="{LIST}?tag=vip&amp;sort=-name&amp;view={view.pk}"' in html
    picked = alice_client.get(response["Location"])
    assert picked.context["current_view"] == view
    assert "View: VIPs" in picked.content.decode()
    assert [c.first_name for c in picked.context["page"].object_list] == ["Kept"]


def test_a_personal_view_is_seen_by_its_owner_only(alice, bob, client, project):
    view = saved_view_create(user=alice, name="Mine", query="q=x")
    client.force_login(bob)
    assert client.get(LIST).context["saved_views"] == []
    assert client.post(reverse("contacts:savedview-delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.exists()


def test_a_view_shared_with_a_project_is_seen_by_its_members_only(alice, bob, outsider, client, project):
    view = saved_view_create(user=bob, name="Team", query="q=x", project=project)
    client.force_login(alice)
    assert [v.name for v in client.get(LIST).context["saved_views"]] == ["Team"]
    client.force_login(outsider)
    assert client.get(LIST).context["saved_views"] == []
    assert view.project == project


def test_a_view_is_shared_only_with_a_project_the_user_belongs_to(outsider, client, project):
    client.force_login(outsider)
    response = client.post(
        reverse("contacts:savedview-create"), {"name": "Sneaky", "query": "", "project": project.pk}, follow=True
    )
    assert response.status_code == 200
    assert not SavedView.objects.exists()


def test_a_shared_view_is_renamed_or_deleted_by_its_owner_or_the_projects_managers(
    alice, bob, make_user, client, project
):
    carol = make_user("carol")
    membership_set(project=project, user=carol, role=Membership.Role.MEMBER)
    view = saved_view_create(user=bob, name="Team", query="q=x", project=project)
    rename, delete = (reverse(f"contacts:savedview-{a}", args=[view.pk]) for a in ("update", "delete"))
    client.force_login(carol)
    response = client.post(rename, {"name": "Mine now"}, follow=True)
    assert "Only the view&#x27;s owner or the project&#x27;s managers may change it." in response.content.decode()
    client.post(delete)
    assert SavedView.objects.get().name == "Team"
    client.force_login(bob)
    client.post(rename, {"name": "Team leads"})
    assert SavedView.objects.get().name == "Team leads"
    client.force_login(alice)  # the project's manager
    client.post(delete)
    assert not SavedView.objects.exists()


def test_a_view_needs_a_name(alice_client):
    response = alice_client.post(reverse("contacts:savedview-create"), {"name": " ", "query": "q=x"}, follow=True)
    assert response.status_code == 200
    assert not SavedView.objects.exists()
    view = saved_view_create(user=response.context["user"], name="Kept", query="")
    alice_client.post(reverse("contacts:savedview-update", args=[view.pk]), {"name": ""})
    view.refresh_from_db()
    assert view.name == "Kept"


def test_a_deep_page_of_the_list_costs_the_queries_of_the_first(
    make_contact, alice_client, alice, django_assert_num_queries
):
    saved_view_create(user=alice, name="Mine", query="tag=vip")
    for n in range(30):
        make_contact(first_name=f"N{n:02}", tags=["vip"], items=[{"kind": "email", "value": f"n{n}@example.com"}])
    alice_client.get(LIST)  # the session is cached from here on, as for every later page
    # The user (the session comes from the cache); every menu and the saved views in one read;
    # the count, the page with its items and its tags.
    for page, rows in (("1", 25), ("2", 5)):  # the second is read from the far end
        with django_assert_num_queries(6):
            response = alice_client.get(LIST, {"per_page": "25", "page": page})
        assert len(response.context["page"].object_list) == rows


def _menus_as_data(menus: Any) -> dict[str, Any]:
    return {
        "tags": menus.tags,
        "projects": [(p.pk, p.name, p.identifier, p.is_public, p.role) for p in menus.projects],
        "types": [(t.pk, t.code, t.name, t.description, t.color, t.position) for t in menus.types],
        "stages": [(s.pk, s.name, s.description, s.color, s.position) for s in menus.stages],
        "users": [(u.pk, u.username, u.get_full_name()) for u in menus.users],
        "custom_fields": [
            (f.pk, f.name, f.field_format, f.choices, f.default, f.applies_to, f.position, f.is_required)
            for f in menus.custom_fields
        ],
        "saved_views": [
            (v.pk, v.name, v.query, v.project_id, v.project.name if v.project else None, v.can_manage)
            for v in menus.saved_views
        ],
    }


@pytest.mark.parametrize("who", ["alice", "bob", "outsider", "admin_user"])
def test_the_lists_menus_are_one_read_that_offers_what_each_menus_own_selector_offers(
    who, request, make_contact, custom, alice, bob, outsider, project, other_project, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    make_user = request.getfixturevalue("make_user")
    make_user("zed").__class__.objects.filter(username="zed").update(is_active=False)
    CustomField.objects.create(name="Notes", field_format=CustomField.Format.HEADING, position=5)
    CustomField.objects.create(
        name="Size", field_format=CustomField.Format.STRING, position=0, is_required=True, default="M"
    )
    make_contact(first_name="Seen", tags=["vip", "Partner"])
    make_contact(user=outsider, first_name="Hidden", tags=["secret"], projects=[other_project],
                 visibility=Visibility.PRIVATE)  # fmt: skip
    saved_view_create(user=bob, name="Team", query="tag=vip", project=project)
    saved_view_create(user=bob, name="Bobs", query="q=x")
    saved_view_create(user=outsider, name="Elsewhere", query="q=y", project=other_project)
    ContactStage.objects.create(name="Aardvark", position=0)  # first by its position
    with django_assert_num_queries(1):
        menus = list_menus(user=user)
    expected = ListMenus(
        tags=[tag.name for tag in tag_counts(user=user)],
        projects=project_list_with_role(user=user),
        types=list(ContactType.objects.all()),
        stages=list(ContactStage.objects.all()),
        users=list(user_choices()),
        custom_fields=list(CustomField.objects.exclude(field_format=CustomField.Format.HEADING)),
        saved_views=list(saved_view_list(user=user)),
    )
    assert _menus_as_data(menus) == _menus_as_data(expected)
    assert ("secret" in menus.tags) is (who in ("outsider", "admin_user"))
    assert menus.stages[0].name == "Aardvark"
