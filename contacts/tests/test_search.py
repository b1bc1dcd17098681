"""contacts.search: what a search means, the index kept in step with every write, and its plans."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, ContactItem
from contacts.search import search_rebuild, search_sql
from contacts.selectors import ContactPages, contact_count, contact_list, trash_list
from contacts.services import contact_create, contact_delete, contact_merge, contact_purge, contact_update

pytestmark = pytest.mark.django_db


def found(user: Any, text: str) -> set[int]:
    return set(contact_list(user=user, filters={"search": text}, prefetch=False).values_list("pk", flat=True))


def found_contact_by_contact(user: Any, text: str) -> set[int]:
    """`found`, each contact checked on its own index row (as a walked page checks them)."""
    ids = contact_list(user=user, filters={"search": text}, prefetch=False).values_list("pk", flat=True)
    ids.query.search_probe = True
    return set(ids)


@pytest.fixture
def ada(alice, project):
    return contact_create(
        user=alice,
        fields={"first_name": "Ada", "last_name": "Lovelace", "job_title": "Analyst", "visibility": "project"},
        items=[{"kind": "email", "value": "ada@engines.example"}, {"kind": "tel", "value": "+1 383 224 4242"}],
        projects=[project],
    )


# What a search means


def test_a_term_of_three_characters_matches_inside_any_field(ada, admin_user):
    for text in ("lov", "ELACE", "nalys", "engines.ex", "224 4242"[:3], "@engines"):
        assert found(admin_user, text) == {ada.pk}, text


def test_every_term_must_match_some_field(ada, admin_user):
    assert found(admin_user, "ada analyst") == {ada.pk}
    assert found(admin_user, "ada plumber") == set()


def test_a_term_of_one_or_two_characters_matches_the_start_of_a_word(ada, admin_user):
    assert found(admin_user, "lo") == {ada.pk}
    assert found(admin_user, "a") == {ada.pk}
    assert found(admin_user, "ov") == set()
    assert found(admin_user, "e") == set()


def test_phone_digits_match_whatever_the_punctuation(ada, admin_user):
    for text in ("4242", "3832244242", "224-4242", "(383)", "+1.383.224", "13"):
        assert found(admin_user, text) == {ada.pk}, text
    assert found(admin_user, "4243") == set()


def test_phones_stored_as_typed_with_short_extensions_are_found_by_digits(alice, admin_user):
    desk = Contact.objects.create(first_name="Desk")
    ContactItem.objects.create(contact=desk, kind=ContactItem.Kind.TEL, value="ext. 411", normalized="411")
    assert found(admin_user, "411") == {desk.pk}
    assert found(admin_user, "41") == {desk.pk}


def test_terms_without_letters_or_digits_are_left_out(ada, admin_user):
    assert found(admin_user, "& ada --") == {ada.pk}


def test_search_text_with_quotes_and_percent_is_searched_literally(ada, admin_user):
    assert found(admin_user, 'ada"') == set()
    assert found(admin_user, "ad%") == set()


def test_search_respects_visibility(ada, outsider, bob):
    assert found(bob, "lovelace") == {ada.pk}
    assert found(outsider, "lovelace") == set()


# The index follows every write path


def test_create_and_update_through_the_services_reach_the_index(ada, alice, admin_user):
    contact_update(contact=ada, user=alice, fields={"last_name": "Byron", "job_title": "Poet"})
    assert found(admin_user, "byron poet") == {ada.pk}
    assert found(admin_user, "lovelace") == set()
    assert found(admin_user, "analyst") == set()


def test_item_add_change_and_delete_reach_the_index(ada, admin_user):
    item = ContactItem.objects.create(contact=ada, kind=ContactItem.Kind.EMAIL, value="countess@math.example")
    assert found(admin_user, "countess") == {ada.pk}
    item.value = "lady@math.example"
    item.save()
    assert found(admin_user, "countess") == set()
    assert found(admin_user, "lady@") == {ada.pk}
    item.delete()
    assert found(admin_user, "lady@") == set()
    ContactItem.objects.filter(contact=ada, kind=ContactItem.Kind.TEL).update(value="555 0101")
    assert found(admin_user, "4242") == set()
    assert found(admin_user, "5550101") == {ada.pk}


def test_items_that_are_not_emails_or_phones_are_not_searched(ada, admin_user):
    ContactItem.objects.create(contact=ada, kind=ContactItem.Kind.URL, value="https://difference.example")
    assert found(admin_user, "difference") == set()


def test_renaming_a_company_changes_what_its_people_match(alice, admin_user):
    firm = contact_create(user=alice, fields={"is_company": True, "name": "Analytical Engines"})
    person = contact_create(user=alice, fields={"first_name": "Charles", "last_name": "Babbage", "company": firm})
    assert found(admin_user, "analytical") == {firm.pk, person.pk}
    contact_update(contact=firm, user=alice, fields={"name": "Difference Works"})
    assert found(admin_user, "analytical") == set()
    assert found(admin_user, "difference charles") == {person.pk}
    Contact.objects.filter(pk=firm.pk).update(display_name="Bulk Renamed")
    assert found(admin_user, "renamed charles") == {person.pk}


def test_bulk_created_contacts_and_items_are_indexed_as_seeding_does(admin_user):
    contacts = Contact.objects.bulk_create(
        [Contact(first_name=f"Seed{i}", last_name="Row", display_name=f"Seed{i} Row") for i in range(3)]
    )
    ContactItem.objects.bulk_create(
        [
            ContactItem(contact=c, kind=ContactItem.Kind.TEL, value=f"+44 20 7946 09{i}{i}")
            for i, c in enumerate(contacts)
        ]
    )
    assert found(admin_user, "seed1") == {contacts[1].pk}
    assert found(admin_user, "0922") == {contacts[2].pk}
    assert found(admin_user, "row") == {c.pk for c in contacts}


def test_merging_moves_the_sources_items_and_drops_the_source(ada, alice, admin_user, project):
    other = contact_create(
        user=alice,
        fields={"first_name": "Augusta", "last_name": "King"},
        items=[{"kind": "email", "value": "augusta@king.example"}],
        projects=[project],
    )
    contact_merge(user=alice, survivor=ada, others=[other])
    assert found(admin_user, "augusta@") == {ada.pk}
    assert found(admin_user, "king") == {ada.pk}


def test_a_contact_in_the_trash_is_found_by_no_search_and_a_purged_one_leaves_the_index(ada, alice, admin_user):
    contact_delete(contact=ada, user=alice)
    assert found(admin_user, "lovelace") == set()
    # The trash page searches the trash through the same index.
    assert [c.pk for c in trash_list(user=alice, search="lovelace")] == [ada.pk]
    contact_purge(contact=Contact.objects.get(pk=ada.pk), user=alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM contacts_contactsearch WHERE rowid = %s", [ada.pk])
        assert cursor.fetchone()[0] == 0


def test_deleting_a_company_takes_it_out_of_its_peoples_match(alice, admin_user):
    firm = contact_create(user=alice, fields={"is_company": True, "name": "Analytical Engines"})
    person = contact_create(user=alice, fields={"first_name": "Charles", "last_name": "Babbage", "company": firm})
    firm.delete()
    assert found(admin_user, "analytical") == set()
    assert found(admin_user, "babbage") == {person.pk}


def test_rebuild_writes_the_same_index_the_triggers_keep(ada, admin_user):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, doc, digits FROM contacts_contactsearch ORDER BY rowid")
        kept = cursor.fetchall()
        search_rebuild()
        cursor.execute("SELECT rowid, doc, digits FROM contacts_contactsearch ORDER BY rowid")
        assert cursor.fetchall() == kept


def test_rebuild_writes_the_documents_the_triggers_keep_after_items_changed(ada, admin_user):
    # Items added and rewritten in place: their rows no longer sit in the order of their ids.
    first = ada.items.get(kind="tel")
    ContactItem.objects.create(contact=ada, kind="tel", value="+49 151 7654321", position=3)
    ContactItem.objects.create(contact=ada, kind="email", value="lovelace@example.org", position=4)
    ContactItem.objects.create(contact=ada, kind="url", value="https://engines.example", position=5)
    ContactItem.objects.filter(pk=first.pk).update(value="+1 383 224 9999")
    ada.items.filter(kind="email").order_by("pk").first().delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, doc, digits FROM contacts_contactsearch ORDER BY rowid")
        kept = cursor.fetchall()
        assert "9999" in kept[0][2] and "7654321" in kept[0][2]
        search_rebuild()
        cursor.execute("SELECT rowid, doc, digits FROM contacts_contactsearch ORDER BY rowid")
        assert cursor.fetchall() == kept


# The indexed search returns what a brute-force search over the same data returns

DIGITS = re.compile(r"[^0-9]")
PHONE_TERM = re.compile(r"[0-9+\-.()/]+")


def occurs(term: str, field: str) -> bool:
    if len(term) >= 3:
        return term in field.lower()
    return any(word.lower().startswith(term) for word in field.split(" "))


def reference_search(people: list[dict[str, Any]], text: str) -> set[int]:
    terms = [w.lower() for w in text.split() if any(ch.isalnum() for ch in w)]

    def matches(person: dict[str, Any], term: str) -> bool:
        fields = [person["name"], person["company"], person["job_title"], *person["emails"], *person["phones"]]
        if any(occurs(term, field) for field in fields):
            return True
        digits = DIGITS.sub("", term)
        return bool(PHONE_TERM.fullmatch(term)) and any(occurs(digits, DIGITS.sub("", p)) for p in person["phones"])

    return {p["pk"] for p in people if all(matches(p, t) for t in terms)}


WORD = st.text(alphabet="abcAB1-. ", min_size=0, max_size=7)
PERSON = st.fixed_dictionaries(
    {
        "first_name": st.text(alphabet="abcAB1 ", min_size=1, max_size=7).filter(str.strip),
        "job_title": WORD,
        "company": st.sampled_from([None, 0, 1]),
        "emails": st.lists(st.text(alphabet="abc1@.-", min_size=1, max_size=8), max_size=2),
        "phones": st.lists(st.text(alphabet="0123 +-()", min_size=1, max_size=8), max_size=2),
    }
)
QUERY = st.text(alphabet="abcAB123-+() .@", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(PERSON, min_size=1, max_size=6), queries=st.lists(QUERY, min_size=1, max_size=5))
def test_indexed_search_returns_what_a_brute_force_search_returns(admin_user, people, queries):
    with transaction.atomic():
        firms = Contact.objects.bulk_create(
            [Contact(is_company=True, name=n, display_name=n) for n in ("Acme Bc", "b1 Cab")]
        )
        rows = []
        for spec in people:
            company = None if spec["company"] is None else firms[spec["company"]]
            contact = Contact(first_name=spec["first_name"], job_title=spec["job_title"], company=company)
            contact.save()
            items = [ContactItem(contact=contact, kind=ContactItem.Kind.EMAIL, value=v) for v in spec["emails"]]
            items += [ContactItem(contact=contact, kind=ContactItem.Kind.TEL, value=v) for v in spec["phones"]]
            ContactItem.objects.bulk_create(items)
            rows.append(
                spec | {"pk": contact.pk, "name": contact.display_name, "company": company.name if company else ""}
            )
        rows += [
            {"pk": f.pk, "name": f.name, "company": "", "job_title": "", "emails": [], "phones": []} for f in firms
        ]
        for text in queries:
            expected = reference_search(rows, text)
            assert found(admin_user, text) == expected, text
            assert found_contact_by_contact(admin_user, text) == expected, text
            searched = contact_list(user=admin_user, filters={"search": text}, prefetch=False)
            assert contact_count(searched, cap=2) == min(len(expected), 3), text
            # The UI's pages: a capped count, then a page (from the ids the count found, if few).
            ordered = list(searched.values_list("pk", flat=True))
            pages = Paginator(ContactPages(searched, cap=len(expected) + 1), 2)
            assert [c.pk for c in pages.page(pages.num_pages)] == ordered[(pages.num_pages - 1) * 2 :], text
            capped = Paginator(ContactPages(searched, cap=1), 2)
            assert [c.pk for c in capped.page(1)] == ordered[:1], text
        transaction.set_rollback(True)


# The plans use the index


def plan(sql: str, params: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_sqlite_search_reads_the_fts_index(ada, bob):
    sql, params = contact_list(user=bob, filters={"search": "lovelace 42"}, prefetch=False).query.sql_with_params()
    text = plan(sql, params)
    assert "contacts_contactsearch VIRTUAL TABLE INDEX" in text
    assert "SCAN contacts_contact\n" not in text + "\n"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_search_reads_the_trigram_indexes(ada):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is otherwise read whole, which is right
    text = plan(*search_sql(["4242"], vendor="postgresql"))
    assert "Bitmap Index Scan on contacts_search_doc_trgm" in text
    assert "Bitmap Index Scan on contacts_search_digits_trgm" in text
