"""contacts.duplicates: likely pairs by email, phone, name and company, similar names; visibility,
"not a duplicate", the page's queries and the plans of its grouping queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from contacts.duplicates import (
    MAX_GROUP,
    _item_groups,
    _name_groups,
    duplicate_groups,
    duplicate_matches,
    duplicate_pairs,
)
from contacts.models import Contact, ContactItem, DuplicateDismissal
from contacts.services import contact_create

pytestmark = pytest.mark.django_db


def person(user: Any, first: str, last: str, *, items: list[dict[str, Any]] = (), **fields: Any) -> Any:
    return contact_create(user=user, fields={"first_name": first, "last_name": last} | fields, items=list(items))


def pairs_of(user: Any) -> dict[tuple[int, int], tuple[int, list[str]]]:
    return {pair.ids: (pair.score, pair.reasons) for pair in duplicate_pairs(user=user, groups=duplicate_groups())}


def test_pairs_are_scored_by_their_best_reason_and_listed_best_first(alice):
    acme = contact_create(user=alice, fields={"is_company": True, "name": "Acme"})
    a = person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "Ada@Example.com"}])
    b = person(alice, "Augusta", "King", items=[{"kind": "email", "value": "ada@example.com"}])
    c = person(alice, "Grace", "Hopper", items=[{"kind": "tel", "value": "+1 (415) 555-0100"}])
    d = person(alice, "G.", "Murray", items=[{"kind": "tel", "value": "+1 415 555 0100"}])
    e = person(alice, "Alan", "Turing", company=acme)
    f = person(alice, "alan", "turing", company=acme)
    g = person(alice, "Edsger", "Dijkstra")
    h = person(alice, "E.", "Dijkstra")
    person(alice, "Barbara", "Dijkstra")  # another first initial: not similar
    found = duplicate_pairs(user=alice, groups=duplicate_groups())
    assert [(p.ids, p.score) for p in found] == [
        ((a.pk, b.pk), 100),
        ((c.pk, d.pk), 80),
        ((e.pk, f.pk), 70),
        ((g.pk, h.pk), 40),
    ]
    assert found[0].reasons == ["Same email"]
    assert found[2].reasons == ["Same name and company", "Similar name"]


def test_a_pair_matching_several_rules_is_shown_once_with_every_reason(alice):
    a = person(
        alice,
        "Ada",
        "Lovelace",
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "020 7946 0000"}],
    )
    b = person(
        alice,
        "Ada",
        "Lovelace",
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "0207 946 0000"}],
    )
    assert pairs_of(alice) == {(a.pk, b.pk): (100, ["Same email", "Same phone", "Similar name"])}


def test_two_companies_of_the_same_name_are_a_pair(alice):
    a = contact_create(user=alice, fields={"is_company": True, "name": "Acme Ltd"})
    b = contact_create(user=alice, fields={"is_company": True, "name": "ACME LTD"})
    assert pairs_of(alice) == {(a.pk, b.pk): (70, ["Same name and company"])}


def test_only_contacts_the_user_can_see_make_pairs(alice, bob):
    mine = person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "ada@example.com"}], visibility="private")
    public = person(bob, "Ada", "King", items=[{"kind": "email", "value": "ada@example.com"}])
    other = person(bob, "Ada", "Byron", items=[{"kind": "email", "value": "ada@example.com"}])
    assert pairs_of(bob) == {(public.pk, other.pk): (100, ["Same email"])}
    assert set(pairs_of(alice)) == {(mine.pk, public.pk), (mine.pk, other.pk), (public.pk, other.pk)}


def test_a_value_shared_by_too_many_contacts_is_no_sign_of_a_duplicate(alice):
    for n in range(MAX_GROUP + 1):
        person(alice, f"P{n}", f"L{n}", items=[{"kind": "tel", "value": "+1 415 555 0199"}])
    assert duplicate_pairs(user=alice, groups=duplicate_groups()) == []


def test_a_value_many_contacts_share_is_no_sign_even_when_the_user_sees_only_two(alice, bob):
    for n in range(MAX_GROUP + 1):
        person(alice, f"P{n}", f"L{n}", items=[{"kind": "tel", "value": "+1 415 555 0199"}], visibility="private")
    Contact.objects.filter(last_name__in=["L0", "L1"]).update(visibility="public")
    assert duplicate_pairs(user=bob, groups=duplicate_groups()) == []


def test_trashed_contacts_make_no_pairs(alice):
    from contacts.services import contact_delete

    a = person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "ada@example.com"}])
    b = person(alice, "Ann", "Other", items=[{"kind": "email", "value": "ada@example.com"}])
    person(alice, "Zed", "Lovelace", company=None)
    assert (a.pk, b.pk) in pairs_of(alice)
    contact_delete(contact=b, user=alice)
    assert pairs_of(alice) == {}


def test_a_pair_marked_not_a_duplicate_stops_showing(alice_client, alice):
    a = person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "ada@example.com"}])
    b = person(alice, "Ann", "Other", items=[{"kind": "email", "value": "ada@example.com"}])
    response = alice_client.post(reverse("contacts:duplicate-dismiss"), {"ids": [b.pk, a.pk]})
    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(first_id=a.pk, second_id=b.pk).exists()
    assert duplicate_pairs(user=alice, groups=duplicate_groups()) == []
    assert alice_client.post(reverse("contacts:duplicate-dismiss"), {"ids": [a.pk, b.pk]}).status_code == 302
    assert DuplicateDismissal.objects.count() == 1


def test_not_a_duplicate_needs_two_contacts_the_user_can_see(client, outsider, alice):
    a = person(alice, "Ada", "Lovelace", visibility="private")
    b = person(alice, "Ada", "Lovelace", visibility="private")
    client.force_login(outsider)
    response = client.post(reverse("contacts:duplicate-dismiss"), {"ids": [a.pk, b.pk]}, follow=True)
    assert "Choose two contacts you can see" in response.content.decode()
    assert not DuplicateDismissal.objects.exists()
    assert client.post(reverse("contacts:duplicate-dismiss"), {"ids": ["x", "99999999999999999999"]}).status_code == 302


def test_the_duplicates_page_lists_pairs_with_merge_and_not_a_duplicate(alice_client, alice):
    a = person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "ada@example.com"}])
    b = person(alice, "Ann", "Other", items=[{"kind": "email", "value": "ada@example.com"}])
    page = alice_client.get(reverse("contacts:duplicate-list")).content.decode()
    assert "Ada Lovelace" in page and "Ann Other" in page and "Same email" in page
    assert f"{reverse('contacts:contact-merge')}?ids={a.pk}&amp;ids={b.pk}" in page
    assert "Not a duplicate" in page


@pytest.mark.parametrize("pairs", [1, 30])
def test_the_duplicates_page_costs_the_same_queries_for_1_or_30_pairs(
    pairs, alice_client, alice, django_assert_max_num_queries
):
    for n in range(pairs):
        person(alice, f"A{n}", f"B{n}", items=[{"kind": "email", "value": f"x{n}@example.com"}])
        person(alice, f"C{n}", f"D{n}", items=[{"kind": "email", "value": f"x{n}@example.com"}])
    alice_client.get(reverse("contacts:duplicate-list"))  # the first visit runs the scan
    # Session and user, the latest scan and whether it is stale (a contact changed, an item added),
    # the members the user sees, the dismissed pairs, the page's contacts and their items.
    with django_assert_max_num_queries(2 + 3 + 1 + 1 + 2):
        response = alice_client.get(reverse("contacts:duplicate-list"))
    assert response.status_code == 200
    assert response.content.decode().count("Not a duplicate</button>") == min(pairs, 25)


def test_the_duplicates_page_is_paged(alice_client, alice):
    for n in range(30):
        person(alice, f"A{n}", f"B{n}", items=[{"kind": "email", "value": f"x{n}@example.com"}])
        person(alice, f"C{n}", f"D{n}", items=[{"kind": "email", "value": f"x{n}@example.com"}])
    second = alice_client.get(reverse("contacts:duplicate-list"), {"page": 2}).content.decode()
    assert second.count("Not a duplicate</button>") == 5
    assert alice_client.get(reverse("contacts:duplicate-list"), {"page": "x"}).status_code == 200


# The editor's matches and their JSON check


def test_matches_find_an_email_a_phone_written_otherwise_and_a_name_at_a_company(alice):
    acme = contact_create(user=alice, fields={"is_company": True, "name": "Acme"})
    ada = person(alice, "Ada", "Lovelace", company=acme, items=[{"kind": "email", "value": "ada@example.com"}])
    grace = person(alice, "Grace", "Hopper", items=[{"kind": "tel", "value": "+1 415 555 0100"}])

    def found(**kwargs: Any) -> dict[int, list[str]]:
        return {m.contact.pk: m.reasons for m in duplicate_matches(user=alice, is_company=False, **kwargs)}

    assert found(emails=["ADA@example.com "]) == {ada.pk: ["Same email"]}
    assert found(phones=["(415) 555-0100"]) == {grace.pk: ["Same phone"]}
    assert found(first_name="ada", last_name="LOVELACE", company_id=acme.pk) == {ada.pk: ["Same name and company"]}
    assert found(first_name="Ada", last_name="Lovelace") == {}  # no company: a name alone is not enough
    assert found(emails=["ada@example.com"], exclude=ada.pk) == {}
    assert found(phones=["no digits"], emails=["\x00"]) == {}


def test_the_json_check_answers_matches_and_hides_contacts_the_user_cannot_see(client, alice, outsider):
    hidden = person(
        alice, "Ada", "Lovelace", items=[{"kind": "email", "value": "ada@example.com"}], visibility="private"
    )
    client.force_login(alice)
    url = reverse("contacts:duplicate-check")
    data = client.get(url, {"email": "ada@example.com", "first_name": "Ann"}).json()
    assert data == {
        "matches": [
            {
                "id": hidden.pk,
                "name": "Ada Lovelace",
                "company": "",
                "url": hidden.get_absolute_url(),
                "reasons": ["Same email"],
            }
        ]
    }
    client.force_login(outsider)
    assert client.get(url, {"email": "ada@example.com"}).json() == {"matches": []}
    assert client.get(url, {"phone": "x" * 5000, "company": "abc", "exclude": "-1"}).status_code == 200


# The grouping queries read the indexes


def plan(queryset_sql: tuple[str, Any]) -> str:
    sql, params = queryset_sql
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny table is otherwise read whole, or sorted and hashed, which is right at this size;
            # at scale the ordered index wins, and these settings ask the planner for that plan now.
            for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_hashagg"):
                cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(prefix + sql, params)
        return "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("group", "index"),
    [
        (lambda user: _item_groups(kind=ContactItem.Kind.EMAIL), "item_duplicate_idx"),
        (lambda user: _name_groups(rule="name_company"), "contact_name_company_idx"),
        (lambda user: _name_groups(rule="similar_name"), "contact_last_initial_idx"),
    ],
)
def test_each_rule_groups_over_its_index(group, index, admin_user, alice):
    for n in range(3):
        person(alice, "Ada", "Lovelace", items=[{"kind": "email", "value": f"ada{n % 2}@example.com"}])
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        group(admin_user)
    grouping = recorder.statements[0]
    text = plan(grouping)
    assert index in text, text
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR GROUP BY" not in text, text


class Recorder:
    """Keeps the statements run, with their parameters."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, params))
        return execute(sql, params, many, context)
