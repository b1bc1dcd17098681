"""The trash in the browser UI and the admin: the trash page (list, search, pages, restore, purge),
every page leaving trashed contacts out, and the admin's delete, list and trash."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_delete, contact_delete_many

pytestmark = pytest.mark.django_db

TRASH = reverse("contacts:trash-list")


def body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def trashed(contact: Contact) -> bool:
    return Contact.objects.get(pk=contact.pk).deleted_at is not None


@pytest.fixture
def gone(make_contact: Any, alice: Any) -> Contact:
    contact = make_contact(first_name="Trashy", last_name="Gone", tags=["vip"])
    contact_delete(contact=contact, user=alice)
    return Contact.objects.get(pk=contact.pk)


# The trash page


def test_the_trash_page_lists_who_deleted_when_and_the_days_left(alice_client, gone):
    page = body(alice_client.get(TRASH))
    assert "Trashy Gone" in page
    assert "Alice Tester" in page
    assert "<td>30</td>" in page
    assert "purged for good 30 days after its deletion" in page


def test_the_trash_page_searches_and_pages(alice_client, make_contact, alice):
    contacts = [make_contact(first_name=f"Person{n:02}", last_name="Binned") for n in range(30)]
    contact_delete_many(contacts=contacts, user=alice)
    first = body(alice_client.get(TRASH))
    assert "Showing 1–25 of 30" in first and "Person29" in first and "Person04" not in first
    second = body(alice_client.get(TRASH, {"page": 2}))
    assert "Person04" in second and "Person29" not in second
    found = body(alice_client.get(TRASH, {"q": "person07"}, headers={"HX-Request": "true"}))
    assert "Person07" in found and "Person08" not in found and "<html" not in found
    assert "Nothing in the trash matches" in body(alice_client.get(TRASH, {"q": "nobody"}))


@pytest.mark.parametrize("count", [3, 25])
def test_the_trash_page_costs_the_same_queries_for_3_or_25_contacts(
    count, alice_client, make_contact, alice, django_assert_num_queries
):
    contact_delete_many(contacts=[make_contact(first_name=f"P{n}") for n in range(count)], user=alice)
    # the user, the count, the page with who deleted each, and the page's "merged into" labels
    # (the session is in the cache)
    with django_assert_num_queries(4):
        body(alice_client.get(TRASH))


def test_restoring_from_the_trash_page_brings_contacts_back(alice_client, gone, make_contact, alice):
    other = make_contact(first_name="Other")
    contact_delete(contact=other, user=alice)
    response = alice_client.post(reverse("contacts:trash-restore"), {"ids": [gone.pk, other.pk], "next": TRASH})
    assert response["Location"] == TRASH
    assert not trashed(gone) and not trashed(other)
    assert "2 contacts restored." in body(alice_client.get(TRASH))
    assert "Trashy Gone" in body(alice_client.get(reverse("contacts:contact-list")))


def test_purging_from_the_trash_page_asks_first(alice_client, gone):
    url = reverse("contacts:trash-purge")
    confirm = body(alice_client.post(url, {"ids": [gone.pk]}))
    assert "Purge 1 contact for good?" in confirm and "cannot be undone" in confirm
    assert trashed(gone)
    response = alice_client.post(url, {"ids": [gone.pk], "confirmed": "1"})
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=gone.pk).exists()


def test_the_trash_page_refuses_nothing_chosen_and_too_many(alice_client, gone):
    alice_client.post(reverse("contacts:trash-restore"), {"ids": ["junk"]})
    assert "Choose the contacts first." in body(alice_client.get(TRASH))
    alice_client.post(reverse("contacts:trash-purge"), {"ids": [str(gone.pk)] * 101})
    assert "Choose at most 100 contacts at a time." in body(alice_client.get(TRASH))
    assert trashed(gone)


def test_someone_who_could_not_delete_a_contact_neither_sees_nor_restores_it(client, gone, bob):
    client.force_login(bob)  # bob is a project member: he may edit, not delete
    assert "Trashy" not in body(client.get(TRASH))
    client.post(reverse("contacts:trash-restore"), {"ids": [gone.pk]})
    client.post(reverse("contacts:trash-purge"), {"ids": [gone.pk], "confirmed": "1"})
    assert trashed(gone)


def test_the_trash_page_needs_a_signed_in_user(client, gone):
    assert client.get(TRASH).status_code == 302
    assert client.post(reverse("contacts:trash-restore"), {"ids": [gone.pk]}).status_code == 302
    assert trashed(gone)


def test_the_navigation_links_to_the_trash(alice_client):
    assert f'href="{TRASH}"' in body(alice_client.get(reverse("home")))


def test_the_trash_link_and_not_the_contacts_link_is_current_on_the_trash_pages(alice_client, gone):
    contacts_link = f'<a href="{reverse("contacts:contact-list")}" aria-current="page">Contacts</a>'
    for page in (
        body(alice_client.get(TRASH)),
        body(alice_client.post(reverse("contacts:trash-purge"), {"ids": [gone.pk]})),
    ):
        assert f'<a href="{TRASH}" aria-current="page">Trash</a>' in page
        assert contacts_link not in page
    assert contacts_link in body(alice_client.get(reverse("contacts:contact-list")))


# Deleting from the UI


def test_the_delete_page_says_the_contact_goes_to_the_trash(alice_client, make_contact):
    contact = make_contact()
    url = reverse("contacts:contact-delete", args=[contact.pk])
    assert "moves to the trash" in body(alice_client.get(url))
    alice_client.post(url)
    assert trashed(contact)
    assert alice_client.get(reverse("contacts:contact-detail", args=[contact.pk])).status_code == 404


def test_bulk_delete_moves_to_the_trash(alice_client, make_contact):
    contacts = [make_contact(first_name="A"), make_contact(first_name="B")]
    ids = [c.pk for c in contacts]
    confirm = body(alice_client.post(reverse("contacts:contact-bulk"), {"action": "delete", "ids": ids}))
    assert "They move to the trash" in confirm
    data = {"action": "delete", "ids": ids, "confirmed": "1"}
    page = body(alice_client.post(reverse("contacts:contact-bulk"), data, follow=True))
    assert all(trashed(c) for c in contacts)
    assert "Moved 2 contacts to the trash." in page and "Deleted" not in page


def test_the_message_after_a_delete_says_moved_to_the_trash_and_its_undo_restores(alice_client, make_contact):
    contact = make_contact(first_name="Grace", last_name="Hopper")
    page = body(alice_client.post(reverse("contacts:contact-delete", args=[contact.pk]), follow=True))
    assert "Grace Hopper was moved to the" in page and f'<a href="{TRASH}">trash</a>' in page
    assert "was deleted" not in page
    assert f'action="{reverse("contacts:trash-restore")}"' in page and f'name="ids" value="{contact.pk}"' in page
    # The Undo in the message: the same post the form makes, with its own CSRF token.
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    alice_client.handler.enforce_csrf_checks = True
    undo = {"csrfmiddlewaretoken": token, "ids": contact.pk, "next": contact.get_absolute_url()}
    response = alice_client.post(reverse("contacts:trash-restore"), undo)
    assert response.status_code == 302 and response.url == contact.get_absolute_url()
    assert not trashed(contact)
    assert "1 contact restored." in body(alice_client.get(contact.get_absolute_url()))


def test_deleting_a_company_with_people_says_they_keep_the_link(alice_client, make_contact):
    acme = make_contact(is_company=True, name="Acme")
    make_contact(first_name="Grace", company=acme)
    make_contact(first_name="Alan", company=acme)
    url = reverse("contacts:contact-delete", args=[acme.pk])
    assert "Its 2 people keep the link to it" in body(alice_client.get(url))
    page = body(alice_client.post(url, follow=True))
    assert "Acme was moved to the" in page and "Its 2 people keep the link, shown again once it is restored." in page
    assert trashed(acme)


# Every page leaves the trash out


def test_every_page_leaves_a_trashed_contact_out(alice_client, gone, make_contact, project):
    make_contact(first_name="Livia", last_name="Kept")
    for url in (
        reverse("contacts:contact-list"),
        reverse("contacts:contact-list") + "?q=trashy",
        reverse("home"),
        reverse("tags:tag-list"),
        reverse("projects:project-detail", args=[project.pk]),
        reverse("contacts:contact-export-csv"),
        reverse("contacts:contact-export-vcard"),
    ):
        page = body(alice_client.get(url))
        assert "Trashy" not in page, url
        assert "vip" not in page or url != reverse("tags:tag-list"), url
    assert alice_client.get(reverse("contacts:contact-detail", args=[gone.pk])).status_code == 404


def test_the_dashboard_counts_leave_the_trash_out(alice_client, gone, make_contact):
    make_contact(first_name="Livia")
    response = alice_client.get(reverse("home"))
    assert response.context["counts"]["persons"] == 1


def test_a_company_in_the_trash_leaves_the_firm_pages_and_its_peoples_pages(alice_client, make_contact, alice):
    acme = make_contact(is_company=True, name="Acmeco")
    person = make_contact(first_name="Wile", company=acme)
    contact_delete(contact=acme, user=alice)
    assert "Acmeco" not in body(alice_client.get(reverse("firms:firm-list")))
    assert alice_client.get(reverse("firms:firm-detail", args=[acme.pk])).status_code == 404
    assert alice_client.get(reverse("contacts:company-suggest"), {"q": "acm"}).json() == []
    page = body(alice_client.get(reverse("contacts:contact-detail", args=[person.pk])))
    # Only the history still names it ("Company: Acmeco" when the person was created).
    assert reverse("contacts:contact-detail", args=[acme.pk]) not in page
    assert page.count("Acmeco") == page.count(": Acmeco</li>")
    assert "Acmeco" not in body(alice_client.get(reverse("contacts:contact-list")))


def test_editing_a_person_keeps_the_link_to_a_company_in_the_trash(
    alice_client, make_contact, alice, contact_form_data
):
    acme = make_contact(is_company=True, name="Acmeco")
    person = make_contact(first_name="Wile", last_name="Coyote", company=acme)
    contact_delete(contact=acme, user=alice)
    url = reverse("contacts:contact-update", args=[person.pk])
    assert "This company is in the trash." in body(alice_client.get(url))
    editor = alice_client.get(url).context["editor"]
    data = contact_form_data(
        first_name="Wile", last_name="Coyote", job_title="Genius", company=str(acme.pk), company_search="Acmeco"
    )
    data["version"] = editor.form.initial["version"]
    response = alice_client.post(url, data)
    assert response.status_code == 302, response.context["editor"].form.errors
    saved = Contact.objects.get(pk=person.pk)
    assert (saved.job_title, saved.company_id) == ("Genius", acme.pk)


# The admin


def test_the_admin_moves_a_deleted_contact_to_the_trash(admin_client, make_contact):
    contact = make_contact(first_name="Adminned")
    url = reverse("admin:contacts_contact_delete", args=[contact.pk])
    assert "Adminned Lovelace (to the trash)" in body(admin_client.get(url))
    admin_client.post(url, {"post": "yes"})
    assert trashed(contact)
    listed = admin_client.get(reverse("admin:contacts_contact_changelist")).context["cl"].result_list
    assert contact not in list(listed)


def test_the_admins_delete_action_moves_contacts_to_the_trash(admin_client, make_contact):
    contacts = [make_contact(first_name="One"), make_contact(first_name="Two")]
    changelist = reverse("admin:contacts_contact_changelist")
    data = {"action": "delete_selected", "_selected_action": [c.pk for c in contacts], "post": "yes"}
    admin_client.post(changelist, data)
    assert all(trashed(c) for c in contacts)


def test_the_admins_firm_list_leaves_the_trash_out(admin_client, make_contact, alice):
    acme = make_contact(is_company=True, name="Acmeco")
    contact_delete(contact=acme, user=alice)
    assert list(admin_client.get("/admin/firms/firm/").context["cl"].result_list) == []


def test_the_admins_trash_lists_restores_and_purges(admin_client, gone, make_contact, alice):
    other = make_contact(first_name="Other")
    contact_delete(contact=other, user=alice)
    changelist = reverse("admin:contacts_trashedcontact_changelist")
    listing = body(admin_client.get(changelist))
    assert "Trashy Gone" in listing and "Other Lovelace" in listing
    assert "Other" not in body(admin_client.get(changelist, {"q": "trashy"}))
    admin_client.post(changelist, {"action": "restore_selected", "_selected_action": [other.pk]})
    assert not trashed(other)
    confirm = body(admin_client.post(changelist, {"action": "purge_selected", "_selected_action": [gone.pk]}))
    assert "Are you sure" in confirm and "Trashy Gone" in confirm
    assert trashed(gone)
    admin_client.post(changelist, {"action": "purge_selected", "_selected_action": [gone.pk], "post": "yes"})
    assert not Contact.objects.filter(pk=gone.pk).exists()


def test_the_admins_trash_shows_a_staff_member_only_what_they_could_delete(client, gone, make_user, alice):
    from django.contrib.auth.models import Permission

    staff = make_user("staffer")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["delete_contact", "view_contact"]))
    client.force_login(staff)
    listing = body(client.get(reverse("admin:contacts_trashedcontact_changelist")))
    assert "Trashy" not in listing
    client.force_login(alice)
    assert client.get(reverse("admin:contacts_trashedcontact_changelist")).status_code == 302
