"""Notes: who may edit and delete them, backdating, and links in their text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts.models import Note
from contacts.services import note_create, note_delete, note_update
from contacts.templatetags.crm import linkify
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_contact):
    return make_contact(visibility="project")


@pytest.fixture
def bobs_note(ada, bob):
    return note_create(contact=ada, user=bob, content="Called about the order.")


def test_the_author_edits_and_deletes_their_note(bob, bobs_note):
    note_update(note=bobs_note, user=bob, content="Called twice.")
    assert Note.objects.get().content == "Called twice."
    note_delete(note=bobs_note, user=bob)
    assert not Note.objects.exists()


def test_a_project_manager_of_the_contact_changes_anyones_note(alice, bobs_note):
    note_update(note=bobs_note, user=alice, subject="Order")
    assert Note.objects.get().subject == "Order"
    note_delete(note=bobs_note, user=alice)
    assert not Note.objects.exists()


def test_staff_change_anyones_note(make_user, bobs_note):
    staff = make_user("staff")
    staff.is_staff = True
    staff.save()
    note_update(note=bobs_note, user=staff, content="Fixed a typo.")
    assert Note.objects.get().content == "Fixed a typo."


def test_another_member_may_not_change_or_delete_a_note(make_user, project, bobs_note):
    carol = make_user("carol")
    membership_set(project=project, user=carol, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        note_update(note=bobs_note, user=carol, content="Mine now.")
    with pytest.raises(PermissionDenied):
        note_delete(note=bobs_note, user=carol)
    assert Note.objects.get().content == "Called about the order."


def test_an_update_writes_only_the_fields_given(bob, bobs_note):
    Note.objects.filter(pk=bobs_note.pk).update(subject="Kept")
    note_update(note=bobs_note, user=bob, content="New text.")
    bobs_note.refresh_from_db()
    assert (bobs_note.subject, bobs_note.content) == ("Kept", "New text.")


def test_a_note_can_be_backdated_but_not_dated_in_the_future(ada, alice):
    last_week = timezone.now() - timedelta(days=7)
    assert note_create(contact=ada, user=alice, content="Met.", created_at=last_week).created_at == last_week
    assert note_create(contact=ada, user=alice, content="Now.", created_at=timezone.now() + timedelta(seconds=30))
    with pytest.raises(ValidationError) as caught:
        note_create(contact=ada, user=alice, content="Later.", created_at=timezone.now() + timedelta(minutes=5))
    assert caught.value.message_dict == {"created_at": ["A note cannot be dated in the future."]}
    assert Note.objects.count() == 2


def test_the_note_form_backdates_and_defaults_to_now(alice_client, ada):
    url = reverse("contacts:note-create", args=[ada.pk])
    alice_client.post(url, {"kind": "call", "content": "Called.", "created_at": "2024-03-01T09:30"})
    alice_client.post(url, {"kind": "note", "content": "Undated."})
    backdated, undated = Note.objects.order_by("created_at")
    assert backdated.created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert timezone.now() - undated.created_at < timedelta(minutes=1)


def test_the_note_form_refuses_a_future_date_with_a_message(alice_client, ada):
    future = (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = alice_client.post(
        reverse("contacts:note-create", args=[ada.pk]), {"kind": "note", "content": "x", "created_at": future}
    )
    assert "A note cannot be dated in the future." in response.content.decode()
    assert not Note.objects.exists()


def test_the_edit_page_changes_the_note_and_goes_back_to_the_contact(client, bob, ada, bobs_note):
    client.force_login(bob)
    url = reverse("contacts:note-update", args=[bobs_note.pk])
    assert "Called about the order." in client.get(url).content.decode()
    response = client.post(
        url, {"kind": "meeting", "subject": "Visit", "content": "Met on site.", "created_at": "2024-05-02T10:00"}
    )
    assert response.status_code == 302 and response["Location"] == f"{ada.get_absolute_url()}#notes"
    note = Note.objects.get()
    assert (note.kind, note.subject, note.content, note.created_at.isoformat()) == (
        "meeting",
        "Visit",
        "Met on site.",
        "2024-05-02T10:00:00+00:00",
    )


def test_the_delete_page_asks_then_deletes(client, bob, bobs_note):
    client.force_login(bob)
    url = reverse("contacts:note-delete", args=[bobs_note.pk])
    assert "Delete this note" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Note.objects.exists()


def test_someone_else_gets_403_and_an_invisible_note_404(client, make_user, project, bobs_note, outsider):
    carol = make_user("carol")
    membership_set(project=project, user=carol, role=Membership.Role.MEMBER)
    client.force_login(carol)
    assert client.post(reverse("contacts:note-delete", args=[bobs_note.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("contacts:note-update", args=[bobs_note.pk])).status_code == 404
    assert Note.objects.exists()


def test_the_contact_page_offers_edit_only_on_notes_the_user_may_change(client, make_user, project, ada, bobs_note):
    carol = make_user("carol")
    membership_set(project=project, user=carol, role=Membership.Role.MEMBER)
    note_create(contact=ada, user=carol, content="Carol's own.")
    client.force_login(carol)
    page = client.get(ada.get_absolute_url()).content.decode()
    assert page.count('aria-label="Edit this note"') == 1


def test_links_are_escaped_with_rel_and_only_for_http_https_and_mailto():
    html = linkify("See https://example.com/a?b=1&c=2. <script>x</script> javascript:alert(1) mail ada@example.com")
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener nofollow" target="_blank">' in html
    assert "</a>. &lt;script&gt;x&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    assert '<a href="mailto:ada@example.com" rel="noopener nofollow">ada@example.com</a>' in html


def test_a_quote_cannot_break_out_of_the_link():
    html = linkify('http://a.example/"onmouseover="alert(1)')
    assert html.startswith('<a href="http://a.example/" rel="noopener nofollow" target="_blank">')
    assert "&quot;onmouseover=&quot;alert(1)" in html


def test_links_in_notes_are_clickable_on_the_contact_page_and_the_dashboard(alice_client, alice, ada):
    note_create(contact=ada, user=alice, content="Spec at https://example.com/spec <b>bold</b>")
    link = '<a href="https://example.com/spec" rel="noopener nofollow" target="_blank">'
    for url in (ada.get_absolute_url(), reverse("home")):
        page = alice_client.get(url).content.decode()
        assert link in page and "&lt;b&gt;bold&lt;/b&gt;" in page
