"""contacts.selectors: the one visibility rule, filters, and a fixed query count per page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from contacts.filters import ContactFilter
from contacts.selectors import contact_get, contact_list, note_list, tag_counts, visibility
from contacts.services import contact_create, note_create
from projects.models import Membership
from projects.services import membership_remove, membership_set

pytestmark = pytest.mark.django_db


def visible_names(user, **filters):
    return sorted(contact_list(user=user, filters=filters or None).values_list("display_name", flat=True))


@pytest.fixture
def three(make_contact, alice, project):
    return {
        "public": make_contact(first_name="Pub", visibility="public", projects=[]),
        "project": make_contact(first_name="Proj", visibility="project"),
        "private": make_contact(first_name="Priv", visibility="private"),
    }


def test_private_contact_is_invisible_outside_author_assignee_and_access_list(three, bob, outsider, make_user):
    assert "Priv Lovelace" not in visible_names(bob)
    assert "Priv Lovelace" not in visible_names(outsider)
    assert contact_get(user=outsider, pk=three["private"].pk) is None
    private = three["private"]
    private.assigned_to = bob
    private.save()
    assert "Priv Lovelace" in visible_names(bob)
    carol = make_user("carol")
    private.access_list.add(carol)
    assert "Priv Lovelace" in visible_names(carol)


def test_project_contact_is_seen_by_members_only(three, bob, outsider):
    assert "Proj Lovelace" in visible_names(bob)
    assert "Proj Lovelace" not in visible_names(outsider)


def test_public_contact_is_seen_by_every_signed_in_user_but_not_anonymous(three, outsider):
    assert visible_names(outsider) == ["Pub Lovelace"]
    assert visible_names(AnonymousUser()) == []


def test_superuser_sees_everything(three, admin_user):
    assert visible_names(admin_user) == ["Priv Lovelace", "Proj Lovelace", "Pub Lovelace"]


def test_author_sees_own_private_contact(three, alice):
    assert visible_names(alice) == ["Priv Lovelace", "Proj Lovelace", "Pub Lovelace"]


def test_contact_in_two_projects_is_listed_once(make_contact, project, other_project, admin_user, bob):
    make_contact(first_name="Twice", visibility="project", projects=[project])
    contact = contact_list(user=admin_user).get()
    contact.projects.add(other_project)
    assert visible_names(bob) == ["Twice Lovelace"]


def test_notes_and_tag_counts_follow_visibility(three, alice, outsider):
    note_create(contact=three["private"], user=alice, content="secret")
    note_create(contact=three["public"], user=alice, content="hello")
    three["private"].tags.add("hidden")
    three["public"].tags.add("shown")
    three["project"].tags.add("shown")
    assert [n.content for n in note_list(user=outsider)] == ["hello"]
    assert [(t.name, t.count) for t in tag_counts(user=outsider)] == [("shown", 1)]
    assert [(t.name, t.count) for t in tag_counts(user=alice)] == [("hidden", 1), ("shown", 2)]


def test_search_matches_every_word_across_names_company_email_phone_and_title(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme Widgets")
    make_contact(
        first_name="Tom",
        last_name="Jones",
        company=acme,
        job_title="Buyer",
        items=[{"kind": "email", "value": "tj@mail.example"}, {"kind": "tel", "value": "+1 (415) 555-0199"}],
    )
    make_contact(first_name="Tomas", last_name="Berg")
    assert visible_names(alice, search="tom") == ["Tom Jones", "Tomas Berg"]
    assert visible_names(alice, search="tom acme") == ["Tom Jones"]
    assert visible_names(alice, search="buyer") == ["Tom Jones"]
    assert visible_names(alice, search="tj@mail") == ["Tom Jones"]
    assert visible_names(alice, search="4155550199") == ["Tom Jones"]
    assert visible_names(alice, search="widgets") == ["Acme Widgets", "Tom Jones"]


def test_filters_by_tags_project_kind_and_assignee(make_contact, alice, bob, project, other_project, admin_user):
    make_contact(first_name="A", tags=["vip", "lead"], assigned_to=bob)
    make_contact(first_name="B", tags=["vip"])
    make_contact(is_company=True, name="C Corp")
    assert visible_names(alice, tags="vip,lead") == ["A Lovelace"]
    assert visible_names(alice, tags="VIP") == ["A Lovelace", "B Lovelace"]
    assert visible_names(alice, is_company="true") == ["C Corp"]
    assert visible_names(alice, assigned_to=str(bob.pk)) == ["A Lovelace"]
    assert visible_names(alice, project="support") == ["A Lovelace", "B Lovelace", "C Corp"]
    assert visible_names(alice, project=str(other_project.pk)) == []


def test_bad_filter_value_is_a_validation_error_naming_the_filter(alice):
    with pytest.raises(ValidationError) as info:
        contact_list(user=alice, filters={"visibility": "secret"})
    assert list(info.value.message_dict) == ["visibility"]


def test_a_list_builds_only_the_filters_its_data_names(make_contact, alice):
    make_contact(first_name="Ada", visibility="public")
    filterset = ContactFilter(data={"search": "ada", "unknown": "x"}, queryset=contact_list(user=alice), user=alice)
    assert set(filterset.filters) == {"search"}
    assert [c.first_name for c in filterset.qs] == ["Ada"]
    assert "visibility" in ContactFilter.base_filters  # the class keeps every filter
    with pytest.raises(ValidationError) as info:
        contact_list(user=alice, filters={"search": "ada", "stage": "999999"})
    assert list(info.value.message_dict) == ["stage"]


def make_many(n, alice, project, license_field):
    for i in range(n):
        contact_create(
            user=alice,
            fields={"first_name": f"P{i}"},
            items=[{"kind": "email", "value": f"p{i}@example.com"}, {"kind": "tel", "value": "+1 202 555 0100"}],
            addresses=[{"city": "Oslo", "country": "NO"}],
            custom_values={license_field.pk: "Pro"},
            tags=["t1", "t2"],
            projects=[project],
        )


def read_everything(contacts):
    for c in contacts:
        _ = (c.company, c.author, c.assigned_to, c.contact_type, c.stage)
        _ = [i.value for i in c.items.all()] + [a.city for a in c.addresses.all()]
        _ = [v.field.name for v in c.custom_values.all()] + [t.tag.name for t in c.tagged_items.all()]
        _ = [p.name for p in c.projects.all()]


@pytest.mark.parametrize("size", [10, 100])
def test_a_page_costs_the_same_queries_whatever_its_size(
    size, alice, project, license_field, bob, django_assert_num_queries
):
    make_many(size, alice, project, license_field)
    # One for the contacts with their FKs, one per prefetch (items, addresses,
    # custom values, tags, projects), one for bob's memberships subquery is inlined.
    with django_assert_num_queries(6):
        read_everything(list(contact_list(user=bob)[:size]))


def test_a_users_visible_contacts_are_built_once_and_read_afresh_each_time(
    make_contact, project, alice, outsider, monkeypatch
):
    built = []
    visibility_q = visibility.contact_visibility_q

    def counted(*, user):
        built.append(user.pk)
        return visibility_q(user=user)

    monkeypatch.setattr(visibility, "contact_visibility_q", counted)
    monkeypatch.setattr(visibility, "_VISIBLE", {})
    shared = make_contact(first_name="Pro", visibility="project")
    private = make_contact(first_name="Priv", visibility="private")

    def seen(user) -> set[str]:
        return set(contact_list(user=user, prefetch=False).values_list("first_name", flat=True))

    assert seen(outsider) == set()
    membership_set(project=project, user=outsider, role=Membership.Role.VIEWER)
    assert seen(outsider) == {"Pro"}
    membership_remove(project=project, user=outsider)
    assert seen(outsider) == set()
    private.access_list.add(outsider)
    assert seen(outsider) == {"Priv"}
    assert seen(alice) == {"Pro", "Priv"}
    assert built == [outsider.pk, alice.pk]  # once per user, whatever changed in between
    outsider.is_superuser = True
    outsider.save()
    assert seen(outsider) == {"Pro", "Priv"} and built == [outsider.pk, alice.pk, outsider.pk]
    shared.delete()
    assert seen(outsider) == {"Priv"}


def test_the_kept_visible_contacts_never_share_their_results(make_contact, alice, monkeypatch):
    monkeypatch.setattr(visibility, "_VISIBLE", {})
    first = contact_list(user=alice, prefetch=False)
    assert list(first) == []
    make_contact(first_name="Later")
    assert [c.first_name for c in contact_list(user=alice, prefetch=False)] == ["Later"]
    assert list(first) == []  # an evaluated queryset keeps its own results, as any queryset does
    monkeypatch.setattr(visibility, "MOST_VISIBLE_QUERYSETS", 1)
    contact_list(user=AnonymousUser(), prefetch=False)
    assert len(visibility._VISIBLE) == 1
