"""GET contacts/<id> sends the contact's version as an ETag; PUT with If-Match refuses a stale
write with 412, and updates of different fields never undo each other."""

from __future__ import annotations

import json

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def put(api, contact, attributes, **headers):
    body = json.dumps({"contact": attributes})
    return api.put(f"/redmine/contacts/{contact.pk}.json", body, content_type="application/json", **headers)


def test_show_sends_an_etag_that_changes_with_every_write(api, apple):
    first = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert first.startswith('"') and first.endswith('"')
    assert api.get(f"/redmine/contacts/{apple.pk}.xml")["ETag"] == first
    response = put(api, apple, {"job_title": "Phones"})
    assert response.status_code == 204
    second = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert second != first
    assert response["ETag"] == second


def test_a_put_with_the_current_etag_is_applied(api, apple):
    etag = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert put(api, apple, {"job_title": "Phones"}, HTTP_IF_MATCH=etag).status_code == 204
    assert Contact.objects.get(pk=apple.pk).job_title == "Phones"


def test_a_put_with_a_stale_etag_is_412_and_changes_nothing(api, apple):
    etag = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert put(api, apple, {"job_title": "Phones"}).status_code == 204
    response = put(api, apple, {"job_title": "Tablets", "background": "x"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    stored = Contact.objects.get(pk=apple.pk)
    assert (stored.job_title, stored.background) == ("Phones", apple.background)


def test_if_match_star_or_a_list_holding_the_current_etag_is_applied(api, apple):
    etag = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert put(api, apple, {"job_title": "A"}, HTTP_IF_MATCH="*").status_code == 204
    etag = api.get(f"/redmine/contacts/{apple.pk}.json")["ETag"]
    assert put(api, apple, {"job_title": "B"}, HTTP_IF_MATCH=f'"old", {etag}').status_code == 204
    assert Contact.objects.get(pk=apple.pk).job_title == "B"


def test_puts_of_different_fields_each_write_only_their_field(api, steve):
    fields = {"job_title": "CEO", "background": "Cupertino", "first_name": "Steven", "last_name": "P. Jobs"}
    for name, value in fields.items():
        assert put(api, steve, {name: value}).status_code == 204
    stored = Contact.objects.get(pk=steve.pk)
    assert {name: getattr(stored, name) for name in fields} == fields
