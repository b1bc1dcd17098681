"""The history on the contact's timeline (beside the notes) and in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.history import history_channel
from contacts.models import ContactChange, Note
from contacts.services import contact_update, note_create

pytestmark = pytest.mark.django_db


def page(client, contact, **params) -> str:
    response = client.get(reverse("contacts:contact-detail", args=[contact.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_contact_page_shows_who_changed_what_through_which_channel(alice_client, alice, make_contact):
    ada = make_contact(items=[{"kind": "email", "value": "x@a.com"}])
    with history_channel("redmine"):
        contact_update(contact=ada, user=alice, items=[{"kind": "email", "value": "y@a.com"}])

    html = page(alice_client, ada)

    assert "Alice Tester</strong>" in html
    assert '<span class="field">Email (work)</span> from <del>x@a.com</del> to <ins>y@a.com</ins>' in html
    assert "· Redmine API" in html and "just now" in html
    assert "created this contact" in html


def test_recorded_values_are_escaped(alice_client, alice, make_contact):
    ada = make_contact()
    contact_update(contact=ada, user=alice, fields={"job_title": "<script>alert(1)</script>"})

    html = page(alice_client, ada)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_notes_and_changes_are_merged_newest_first(alice_client, alice, make_contact):
    ada = make_contact()
    now = timezone.now()
    ContactChange.objects.filter(contact=ada).update(at=now - timedelta(days=3))
    note_create(contact=ada, user=alice, content="First call", created_at=now - timedelta(days=2))
    contact_update(contact=ada, user=alice, fields={"job_title": "CTO"})
    ContactChange.objects.filter(contact=ada, action="updated").update(at=now - timedelta(days=1))
    note_create(contact=ada, user=alice, content="Second call", created_at=now)

    html = page(alice_client, ada)

    order = [html.index(text) for text in ("Second call", "Job title", "First call", "created this contact")]
    assert order == sorted(order)


def test_the_filter_shows_only_notes_or_only_changes(alice_client, alice, make_contact):
    ada = make_contact()
    note_create(contact=ada, user=alice, content="A call")

    assert "created this contact" not in page(alice_client, ada, show="notes")
    changes = page(alice_client, ada, show="changes")
    assert "A call" not in changes and "created this contact" in changes
    assert 'aria-current="true">Changes' in changes


def test_a_long_history_shows_a_link_to_all_of_it(alice_client, alice, make_contact):
    ada = make_contact()
    for n in range(25):
        contact_update(contact=ada, user=alice, fields={"priority": n})

    html = page(alice_client, ada)

    assert html.count('class="timeline-change"') == 20
    assert reverse("contacts:contact-timeline", args=[ada.pk]) in html
    assert "Show all" not in page(alice_client, make_contact(first_name="Bea"))


def test_the_timeline_page_is_paged(alice_client, alice, make_contact):
    ada = make_contact()
    for n in range(60):
        contact_update(contact=ada, user=alice, fields={"priority": n})
    url = reverse("contacts:contact-timeline", args=[ada.pk])

    first = alice_client.get(url).content.decode()
    second = alice_client.get(url, {"page": 2}).content.decode()

    assert first.count('class="timeline-change"') == 50 and 'rel="next"' in first
    assert second.count('class="timeline-change"') == 11 and 'rel="prev"' in second and 'rel="next"' not in second
    assert "Priority</span> from <del>58</del> to <ins>59</ins>" in first
    assert alice_client.get(url, {"page": "x"}).status_code == 200


def test_the_timeline_of_a_contact_one_may_not_see_is_404(client, outsider, make_contact):
    ada = make_contact(visibility="private")
    client.force_login(outsider)

    assert client.get(reverse("contacts:contact-timeline", args=[ada.pk])).status_code == 404


def test_the_contact_page_costs_the_same_queries_for_a_short_or_long_history(alice_client, alice, make_contact, bob):
    counts = []
    for size in (2, 30):
        contact = make_contact(first_name=f"P{size}")
        for n in range(size):
            contact_update(contact=contact, user=alice if n % 2 else bob, fields={"priority": n})
            note_create(contact=contact, user=alice, content=f"note {n}")
        with CaptureQueriesContext(connection) as queries:
            page(alice_client, contact)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_adding_a_note_with_htmx_keeps_the_changes_on_the_timeline(alice_client, alice, make_contact):
    ada = make_contact()
    contact_update(contact=ada, user=alice, fields={"job_title": "CTO"})

    response = alice_client.post(
        reverse("contacts:note-create", args=[ada.pk]), {"kind": "call", "content": "Rang"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "Rang" in html and "Job title" in html
    assert Note.objects.filter(contact=ada).count() == 1


def test_the_admin_lists_changes_read_only(admin_client, alice, make_contact):
    ada = make_contact()
    contact_update(contact=ada, user=alice, fields={"job_title": "CTO"})
    entry = ContactChange.objects.filter(contact=ada).latest("id")

    listing = admin_client.get(reverse("admin:contacts_contactchange_changelist"), {"contact__id__exact": ada.pk})
    contact_page = admin_client.get(reverse("admin:contacts_contact_change", args=[ada.pk]))

    assert listing.status_code == 200 and b"Job title: \xe2\x80\x94 \xe2\x86\x92 CTO" in listing.content
    assert b"Recent changes" in contact_page.content and b"Job title" in contact_page.content
    assert admin_client.get(reverse("admin:contacts_contactchange_add")).status_code == 403
    delete = reverse("admin:contacts_contactchange_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ContactChange.objects.filter(pk=entry.pk).exists()


def test_the_admin_lists_only_changes_of_contacts_the_user_may_see(client, make_user, make_contact):
    staff = make_user("staff")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_contactchange"))
    make_contact(first_name="Secret", visibility="private")
    client.force_login(staff)

    response = client.get(reverse("admin:contacts_contactchange_changelist"))

    assert response.status_code == 200
    assert b"Secret" not in response.content
