"""The reads the API dialects share: annotations that agree with contact_rights, contacts by an
item or an address, and display lists in a fixed number of queries."""

from __future__ import annotations

import pytest

from contacts.models import Contact, ContactItem
from contacts.selectors import (
    choice_get,
    contact_access_lists,
    contact_annotate_for_display,
    contact_list,
    contact_list_by_address,
    contact_list_by_item,
    contact_list_for_display,
    contact_rights,
    custom_field_get,
    tag_get,
)
from projects.models import Membership
from projects.services import membership_set, project_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_contact, alice, bob, outsider, project):
    """Contacts of every kind of right, for bob (a member of `project`) and the outsider."""
    membership_set(project=project, user=bob, role=Membership.Role.VIEWER)
    managed = project_create(name="Managed", identifier="managed", creator=bob)
    membership_set(project=managed, user=alice, role=Membership.Role.MEMBER)
    company = make_contact(is_company=True, name="Acme", visibility="public", projects=[])
    return [
        company,
        make_contact(first_name="Public in project", visibility="public", company=company),
        make_contact(first_name="Public, no project", visibility="public", projects=[], company=company),
        make_contact(first_name="Project", visibility="project"),
        make_contact(first_name="Bobs", user=bob, visibility="private", projects=[]),
        make_contact(first_name="Assigned", visibility="private", assigned_to=bob, projects=[]),
        make_contact(first_name="Shared", visibility="private", access_list=[bob], projects=[]),
        make_contact(first_name="Managed", visibility="project", projects=[managed]),
        make_contact(first_name="Private", visibility="private", projects=[]),
    ]


@pytest.mark.parametrize("who", ["alice", "bob", "outsider", "admin_user"])
def test_rights_annotations_agree_with_contact_rights(cases, who, request):
    user = request.getfixturevalue(who)
    annotated = list(contact_annotate_for_display(user=user, contacts=contact_list_for_display(user=user)))
    assert annotated
    expected = contact_rights(user=user, contacts=contact_list(user=user).prefetch_related("access_list"))
    for contact in annotated:
        rights = expected[contact.pk]
        assert (contact.can_edit, contact.can_delete) == (rights.can_edit, rights.can_delete), contact.first_name
        if contact.company_id:
            company = contact_rights(user=user, contacts=[Contact.objects.get(pk=contact.company_id)])
            own = company[contact.company_id]
            assert (contact.company_can_edit, contact.company_can_delete) == (own.can_edit, own.can_delete)


def test_a_companys_people_count_only_those_the_user_sees(make_contact, bob, project):
    acme = make_contact(is_company=True, name="Acme", visibility="public")
    make_contact(first_name="Seen", company=acme)
    make_contact(first_name="Hidden", company=acme, visibility="private", projects=[])
    rows = contact_annotate_for_display(user=bob, contacts=contact_list_for_display(user=bob).filter(pk=acme.pk))
    assert rows.get().persons_count == 1


def test_a_person_whose_company_is_hidden_is_told_so(make_contact, bob):
    secret = make_contact(is_company=True, name="Secret", visibility="private", projects=[])
    person = make_contact(first_name="Open", company=secret, visibility="public")
    row = contact_annotate_for_display(user=bob, contacts=contact_list_for_display(user=bob).filter(pk=person.pk))
    assert row.get().company_visible is False


def test_display_list_costs_the_same_queries_for_1_or_10_contacts(
    make_contact, alice, bob, license_field, django_assert_num_queries
):
    for n in range(10):
        make_contact(
            first_name=f"P{n}",
            items=[{"kind": "tel", "value": "+1 202 555 0100"}],
            addresses=[{"city": "Riga"}],
            custom_values={license_field.pk: "Pro"},
            tags=["vip"],
            visibility="private",
            access_list=[bob],
        )
    for size in (1, 10):
        # The page, items, addresses, custom values, tags, and the private ones' access lists.
        with django_assert_num_queries(6):
            page = list(contact_annotate_for_display(user=alice, contacts=contact_list_for_display(user=alice)))[:size]
            contact_access_lists(contacts=page)
            for contact in page:
                list(contact.items.all()), list(contact.tagged_items.all())
                if contact.visibility == "private":
                    list(contact.access_list.all())


def test_contacts_by_a_phone_match_its_e164_form(make_contact, alice):
    ada = make_contact(items=[{"kind": "tel", "value": "+1 (202) 555-0143"}])
    make_contact(first_name="Other", items=[{"kind": "tel", "value": "+1 202 555 0199"}])
    found = contact_list_by_item(user=alice, kind=ContactItem.Kind.TEL, value="+12025550143")
    assert [c.pk for c in found] == [ada.pk]


def test_contacts_by_an_email_ignore_case_and_hide_what_the_user_cannot_see(make_contact, alice, outsider):
    ada = make_contact(items=[{"kind": "email", "value": "Ada@Example.com"}], visibility="project")
    assert [c.pk for c in contact_list_by_item(user=alice, kind="email", value="ada@example.COM")] == [ada.pk]
    assert list(contact_list_by_item(user=outsider, kind="email", value="ada@example.com")) == []


def test_contacts_by_an_address_match_a_part_of_it(make_contact, alice):
    riga = make_contact(addresses=[{"street1": "Brivibas 1", "city": "Riga"}])
    make_contact(first_name="Paris", addresses=[{"city": "Paris"}])
    assert [c.pk for c in contact_list_by_address(user=alice, text="rig")] == [riga.pk]


def test_a_tag_is_found_by_name_ignoring_case(make_contact):
    make_contact(tags=["VIP"])
    assert tag_get(name="vip").name == "VIP"
    assert tag_get(name="nope") is None
    assert tag_get(name="v\x00") is None


def test_lookups_by_id_ignore_ids_out_of_range(license_field):
    from contacts.models import ContactStage

    assert custom_field_get(pk=license_field.pk) == license_field
    assert custom_field_get(pk="9" * 30) is None
    assert choice_get(model=ContactStage, pk="abc") is None


@pytest.mark.parametrize("right", ["edit", "delete"])
def test_the_project_roles_in_the_rights_are_counts_per_contact_not_an_exists(bob, right):
    # PostgreSQL may answer an EXISTS over a contact's links and the user's memberships by hashing
    # every link of every project the user holds a role in, once per statement (at 20 000 contacts
    # 14 ms of a 100-contact page's 27; O(contacts)). A scalar subquery it cannot hash: each contact's
    # links are read through their index.
    from contacts.selectors.rights import _contact_rights_expressions

    expression = _contact_rights_expressions(user=bob, ref="pk", field=lambda name: name)[right]
    sql, _ = Contact.objects.annotate(right=expression).values("right").query.sql_with_params()
    before = sql[: sql.index('"projects_membership"')]
    count = before.rfind("SELECT COUNT(")
    assert count != -1 and "EXISTS(" not in before[count:], sql
