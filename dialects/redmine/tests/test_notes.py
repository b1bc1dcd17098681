"""Notes: GET/POST /notes, GET/PUT/DELETE /notes/<id>, on contacts the user can see."""

from __future__ import annotations

import pytest

from contacts.models import Note, Visibility

pytestmark = pytest.mark.django_db


def test_create_a_note_in_json(api, apple):
    body = {"note": {"source_type": "Contact", "source_id": apple.pk, "content": "Met at the fair.", "type_id": 2}}
    response = api.post("/redmine/notes.json", body, format="json")
    assert response.status_code == 201
    note = Note.objects.get(contact=apple)
    assert response["Location"] == f"http://testserver/redmine/notes/{note.pk}"
    assert (note.kind, note.author.username) == (Note.Kind.MEETING, "alice")
    data = response.json()["note"]
    assert (data["type_id"], data["source"]) == (2, {"id": apple.pk, "name": "Apple Inc.", "type": "Contact"})


def test_create_a_note_in_xml(api, apple):
    body = f"<note><source_id>{apple.pk}</source_id><subject>Call</subject><content>Ring back</content></note>"
    response = api.post("/redmine/notes.xml", body, content_type="application/xml")
    assert response.status_code == 201
    assert b"<subject>Call</subject><content>Ring back</content><type_id/>" in response.content


def test_list_show_update_and_delete_a_note(api, apple, steve):
    note = Note.objects.get(contact=apple)
    listed = api.get(f"/redmine/notes.json?contact_id={apple.pk}").json()
    assert (listed["total_count"], listed["notes"][0]["id"]) == (1, note.pk)
    assert b'<notes type="array" offset="0" limit="25" total_count="1"><note>' in api.get("/redmine/notes.xml").content
    assert api.get(f"/redmine/notes/{note.pk}.json").json()["note"]["content"] == "Called about the order."
    assert api.put(f"/redmine/notes/{note.pk}.json", {"note": {"content": "Changed"}}, format="json").status_code == 204
    note.refresh_from_db()
    assert note.content == "Changed"
    assert api.delete(f"/redmine/notes/{note.pk}.xml").status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


def test_only_the_author_changes_a_note(client_for, bob, apple, steve):
    note = Note.objects.get(contact=apple)
    response = client_for(bob).put(f"/redmine/notes/{note.pk}.json", {"note": {"content": "x"}}, format="json")
    assert response.status_code == 403


def test_a_blank_note_is_422(api, apple):
    response = api.post("/redmine/notes.json", {"note": {"source_id": apple.pk, "content": " "}}, format="json")
    assert (response.status_code, response.json()) == (422, {"errors": ["Content cannot be blank"]})
    assert not Note.objects.exists()


def test_a_note_on_an_invisible_contact_is_404(client_for, outsider, apple, steve):
    note = Note.objects.get(contact=apple)
    apple.visibility = Visibility.PRIVATE
    apple.save()
    assert client_for(outsider).get(f"/redmine/notes/{note.pk}.json").status_code == 404
