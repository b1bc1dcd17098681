"""The merge page (a column per contact, a radio per field), the survivor's banner and the undo."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactItem, MergeRecord
from contacts.services import contact_create, contact_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_contact: Any) -> tuple[Contact, Contact]:
    ada = make_contact(first_name="Ada", last_name="Lovelace", items=[{"kind": "email", "value": "ada@example.com"}])
    twin = make_contact(
        first_name="Ada",
        last_name="King",
        job_title="Countess",
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "+44 20 7946 0000"}],
    )
    return ada, twin


def merge_url(*contacts: Contact) -> str:
    return reverse("contacts:contact-merge") + "?" + "&".join(f"ids={c.pk}" for c in contacts)


def test_the_merge_page_has_a_column_per_contact_and_a_radio_where_values_differ(alice_client, pair):
    ada, twin = pair
    page = alice_client.get(merge_url(ada, twin)).content.decode()
    assert page.count('name="survivor"') == 2
    assert f'name="pick_last_name" value="{ada.pk}" checked' in page
    assert f'name="pick_last_name" value="{twin.pk}"' in page
    assert f'name="pick_job_title" value="{twin.pk}" checked' in page  # the survivor's is empty
    assert 'name="pick_first_name"' not in page  # the same in both: nothing to pick


def test_merging_from_the_page_follows_the_picks_and_lands_on_the_survivor(alice_client, pair):
    ada, twin = pair
    data = {"ids": [ada.pk, twin.pk], "survivor": twin.pk, "pick_last_name": ada.pk, "pick_job_title": twin.pk}
    response = alice_client.post(reverse("contacts:contact-merge"), data)
    assert response.status_code == 302 and response.url == twin.get_absolute_url()
    twin.refresh_from_db()
    assert (twin.display_name, twin.job_title) == ("Ada Lovelace", "Countess")
    assert Contact.objects.get(pk=ada.pk).deleted_at is not None
    assert sorted(ContactItem.objects.filter(contact=twin).values_list("value", flat=True)) == [
        "+44 20 7946 0000",
        "ada@example.com",
    ]
    page = alice_client.get(twin.get_absolute_url()).content.decode()
    assert "Merged from <strong>Ada Lovelace</strong>" in page
    assert reverse("contacts:merge-undo", args=[MergeRecord.objects.get().pk]) in page


def test_undo_from_the_survivors_page_brings_the_other_back(alice_client, pair):
    ada, twin = pair
    alice_client.post(reverse("contacts:contact-merge"), {"ids": [ada.pk, twin.pk]})
    record = MergeRecord.objects.get()
    response = alice_client.post(reverse("contacts:merge-undo", args=[record.pk]))
    assert response.status_code == 302 and response.url == ada.get_absolute_url()
    assert Contact.objects.filter(pk=twin.pk, job_title="Countess").exists()
    ada.refresh_from_db()
    assert ada.job_title == "" and list(ada.items.values_list("value", flat=True)) == ["ada@example.com"]
    assert 'class="merge-banner"' not in alice_client.get(ada.get_absolute_url()).content.decode()
    again = alice_client.post(reverse("contacts:merge-undo", args=[record.pk]), follow=True)
    assert "already undone" in again.content.decode()


def test_merging_companies_from_the_page_moves_their_employees(alice_client, make_contact):
    acme, acme_ltd = make_contact(is_company=True, name="Acme"), make_contact(is_company=True, name="Acme Ltd")
    grace = make_contact(first_name="Grace", company=acme_ltd)
    response = alice_client.post(reverse("contacts:contact-merge"), {"ids": [acme.pk, acme_ltd.pk]})
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.company_id == acme.pk


def test_a_person_and_a_company_cannot_be_merged_on_the_page(alice_client, make_contact):
    person, company = make_contact(), make_contact(is_company=True, name="Acme")
    response = alice_client.post(reverse("contacts:contact-merge"), {"ids": [person.pk, company.pk]})
    assert response.status_code == 400
    assert "A person and a company cannot be merged" in response.content.decode()
    assert Contact.objects.count() == 2


def test_merging_needs_the_right_to_delete_the_others(client, bob, pair):
    ada, twin = pair
    client.force_login(bob)  # a project member: may edit, not delete
    response = client.post(reverse("contacts:contact-merge"), {"ids": [ada.pk, twin.pk]})
    assert response.status_code == 403
    assert Contact.objects.filter(pk=twin.pk, deleted_at=None).exists()


def test_contacts_the_user_cannot_see_are_left_out_of_the_merge(client, outsider, alice, pair):
    ada, twin = pair
    mine = contact_create(user=outsider, fields={"first_name": "Ada"}, projects=[])
    Contact.objects.filter(pk=ada.pk).update(visibility="private")
    client.force_login(outsider)
    response = client.post(reverse("contacts:contact-merge"), {"ids": [mine.pk, ada.pk]}, follow=True)
    assert "Choose at least two contacts you can see" in response.content.decode()
    assert Contact.objects.filter(pk=ada.pk).exists()
    for bad in ({"ids": ["x", "0"]}, {"ids": [mine.pk, "99999999999999999999"]}, {}):
        assert client.post(reverse("contacts:contact-merge"), bad).status_code == 302


def test_a_bad_pick_is_refused_with_a_message_not_a_500(alice_client, pair, make_contact):
    ada, twin = pair
    stranger = make_contact(first_name="Zed")
    data = {"ids": [ada.pk, twin.pk], "pick_last_name": stranger.pk, "pick_nonsense": "x"}
    response = alice_client.post(reverse("contacts:contact-merge"), data)
    assert response.status_code == 400
    assert Contact.objects.filter(pk=twin.pk, deleted_at=None).exists()


def test_undo_of_a_merge_whose_survivor_the_user_cannot_see_is_a_404(client, outsider, alice, pair):
    ada, twin = pair
    record = contact_merge(user=alice, survivor=ada, others=[twin])
    client.force_login(outsider)
    Contact.objects.filter(pk=ada.pk).update(visibility="private")
    assert client.post(reverse("contacts:merge-undo", args=[record.pk])).status_code == 404
    assert client.post(reverse("contacts:merge-undo", args=[99999])).status_code == 404


def test_the_merge_page_costs_a_fixed_number_of_queries(alice_client, make_contact, django_assert_max_num_queries):
    contacts = [make_contact(items=[{"kind": "email", "value": f"a{n}@example.com"}]) for n in range(4)]
    with django_assert_max_num_queries(14):
        assert alice_client.get(merge_url(*contacts)).status_code == 200


def test_the_trash_page_says_whom_a_merged_away_contact_was_merged_into(alice_client, pair):
    ada, twin = pair
    alice_client.post(reverse("contacts:contact-merge"), {"ids": [ada.pk, twin.pk]})
    page = alice_client.get(reverse("contacts:trash-list")).content.decode()
    assert "Ada King" in page and "merged into Ada Lovelace" in page
    assert "Ada King" not in alice_client.get(reverse("contacts:contact-list")).content.decode()


def test_once_the_merged_contacts_are_purged_the_banner_and_the_undo_say_it_cannot_be_undone(alice_client, alice, pair):
    from contacts.services import contact_purge

    ada, twin = pair
    record = contact_merge(user=alice, survivor=ada, others=[twin])
    contact_purge(contact=Contact.objects.get(pk=twin.pk), user=alice)
    page = alice_client.get(ada.get_absolute_url()).content.decode()
    assert "this merge can no longer be undone" in page
    assert reverse("contacts:merge-undo", args=[record.pk]) not in page
    response = alice_client.post(reverse("contacts:merge-undo", args=[record.pk]), follow=True)
    assert "can no longer be undone: the merged contacts were purged from the trash" in response.content.decode()
    assert MergeRecord.objects.get().undone_at is None
