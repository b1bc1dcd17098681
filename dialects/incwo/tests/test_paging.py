"""Lists page by 100 with a `<pagination>` block; a client looping to `total_pages` sees every record once."""

from __future__ import annotations

import pytest

from contacts.models import Address, Contact, ContactItem
from dialects.xml import parse_tree

pytestmark = pytest.mark.django_db


def make_many(project, n: int, *, is_company: bool = False) -> list[int]:
    """n public records of the business file, each with a phone and an address, in few queries."""
    rows = Contact.objects.bulk_create(
        Contact(is_company=is_company, name=f"Firm {i}" if is_company else "", last_name=f"P{i:03}") for i in range(n)
    )
    Contact.projects.through.objects.bulk_create(
        Contact.projects.through(contact_id=row.pk, project_id=project.pk) for row in rows
    )
    ContactItem.objects.bulk_create(
        ContactItem(contact=row, kind="tel", tel_type="voice", value=f"+33 1 00 00 0{i % 10} 00")
        for i, row in enumerate(rows)
    )
    Address.objects.bulk_create(Address(contact=row, city="Paris", postcode="75001") for row in rows)
    return [row.pk for row in rows]


def read_all(api, resource: str) -> tuple[list[int], list[dict[str, str]]]:
    """Loop as incwo clients do: page 1, then up to total_pages."""
    seen, blocks, page = [], [], 1
    while True:
        tree = parse_tree(api.get(f"{resource}.xml?page={page}").content)
        seen += [int(e.findtext("id")) for e in tree.findall(resource[:-1])]
        blocks.append({child.tag: child.text for child in tree.find("pagination")})
        if page >= int(blocks[-1]["total_pages"]):
            return seen, blocks
        page += 1


@pytest.mark.parametrize(("n", "pages"), [(0, 1), (1, 1), (100, 1), (101, 2), (205, 3)])
def test_a_client_looping_to_total_pages_gets_every_contact_once(api, project, n, pages):
    created = make_many(project, n)
    seen, blocks = read_all(api, "contacts")
    assert seen == created
    assert [block["current_page"] for block in blocks] == [str(p) for p in range(1, pages + 1)]
    assert {(b["total_pages"], b["total_entries"], b["per_page"]) for b in blocks} == {(str(pages), str(n), "100")}


def test_firms_page_the_same_way(api, project):
    created = make_many(project, 101, is_company=True)
    seen, blocks = read_all(api, "firms")
    assert seen == created and len(blocks) == 2


def test_a_page_past_the_end_is_empty_and_says_where_it_is(api, project):
    make_many(project, 3)
    tree = parse_tree(api.get("contacts.xml?page=7").content)
    assert tree.findall("contact") == []
    assert tree.findtext("pagination/current_page") == "7" and tree.findtext("pagination/total_pages") == "1"
    assert api.get(f"contacts.xml?page={10**30}").status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²"])
def test_a_page_that_is_not_a_positive_whole_number_is_not_found(api, page):
    response = api.get(f"contacts.xml?page={page}")
    assert response.status_code == 404
    assert b"<errors><error>" in response.content


@pytest.mark.parametrize("resource", ["contacts", "firms"])
def test_a_list_costs_the_same_queries_for_a_page_of_1_or_of_100(api, project, resource, django_assert_num_queries):
    make_many(project, 1, is_company=resource == "firms")
    api.get(f"{resource}.xml")  # the key's first use of the day is recorded once
    # The key (with its user), the business file and the user's role in it, the count, the page
    # (with whether the user may see each firm), items and addresses.
    with django_assert_num_queries(6):
        assert api.get(f"{resource}.xml").status_code == 200
    make_many(project, 150, is_company=resource == "firms")
    with django_assert_num_queries(6):
        body = api.get(f"{resource}.xml").content
    tree = parse_tree(body)
    assert tree.findtext("pagination/total_entries") == "151"
    assert len(tree.findall(resource[:-1])) == 100
    assert all(
        record.findtext("contact_addresses/contact_address/city") == "Paris" for record in tree.findall(resource[:-1])
    )


@pytest.mark.parametrize("resource", ["contacts", "firms"])
def test_a_deep_page_costs_what_the_first_does_and_a_page_past_the_end_skips_only_the_related_read(
    api, project, resource, django_assert_num_queries
):
    make_many(project, 250, is_company=resource == "firms")
    api.get(f"{resource}.xml")  # the key's first use of the day is recorded once
    with django_assert_num_queries(6):
        first = api.get(f"{resource}.xml?page=1")
    with django_assert_num_queries(6):
        last = api.get(f"{resource}.xml?page=3")
    assert (
        len(parse_tree(first.content).findall(resource[:-1])),
        len(parse_tree(last.content).findall(resource[:-1])),
    ) == (100, 50)
    # Past the end the page is empty, so there are no items or addresses to read.
    with django_assert_num_queries(5):
        past = api.get(f"{resource}.xml?page=4")
    assert past.status_code == 200 and parse_tree(past.content).findall(resource[:-1]) == []
