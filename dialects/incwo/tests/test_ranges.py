"""Values too long for their column are refused in incwo's 422 format, never cut."""

from __future__ import annotations

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def test_a_job_title_longer_than_its_column_is_a_422_and_nothing_changes(api, jean):
    response = api.put(f"contacts/{jean.pk}.xml", f"<contact><job_title>{'x' * 256}</job_title></contact>")
    assert response.status_code == 422, response.content
    assert b"<errors><error>" in response.content and b"255" in response.content
    assert Contact.objects.get(pk=jean.pk).job_title == jean.job_title


def test_an_address_line_longer_than_its_column_is_a_422(api, project):
    before = Contact.objects.count()
    body = (
        "<contact><last_name>Roux</last_name><contact_addresses><contact_address>"
        f"<street_address>{'x' * 256}</street_address></contact_address></contact_addresses></contact>"
    )
    response = api.post("contacts.xml", body)
    assert response.status_code == 422, response.content
    assert Contact.objects.count() == before
