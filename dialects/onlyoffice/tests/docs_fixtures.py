"""The data behind docs/onlyoffice.md's curl examples (imported by docs/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from contacts.models import ApiKey, ContactStage, CustomField
from contacts.services import contact_create
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication
from dialects.onlyoffice.fields import user_guid
from projects.services import project_create

User = get_user_model()


@pytest.fixture
def docs_onlyoffice(db: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    alice = User.objects.create_user("alice", "alice@example.com", "alice-password", first_name="Alice")
    bob = User.objects.create_user("bob", "bob@example.com", "bob-password", first_name="Bob")
    project = project_create(name="Support", identifier="support", creator=alice)
    stage, _ = ContactStage.objects.get_or_create(name="Hot", defaults={"color": "#ef4444"})
    field = CustomField.objects.create(name="Birthdate", field_format=CustomField.Format.DATE, position=10)
    company = contact_create(user=alice, fields={"is_company": True, "name": "Ascensio System SIA"}, projects=[project])
    person: Any = contact_create(
        user=alice,
        fields={"first_name": "Tadjeddine", "last_name": "Bachir", "company": company, "currency": "EUR"},
        items=[{"kind": "email", "value": "support@onlyoffice.com", "context": "work", "is_primary": True}],
        addresses=[{"street1": "Lubanas st. 125a-25", "postcode": "LV-1021", "country": "LV", "context": "home"}],
        tags=["Tag1"],
        projects=[project],
    )
    twin = contact_create(
        user=alice,
        fields={"first_name": "Tad", "last_name": "Twin"},
        items=[{"kind": "email", "value": "tad@example.com"}],
        projects=[project],
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "face.png"
    Image.new("RGB", (8, 8), "teal").save(photo, "PNG")
    return {
        "KEY": ApiKey.objects.create(user=alice).key,
        "TOKEN": OnlyofficeTokenAuthentication.issue(user=alice)[0],
        "PROJECT": str(project.pk),
        "PERSON": str(person.pk),
        "COMPANY": str(company.pk),
        "TWIN": str(twin.pk),
        "PHOTO": str(photo),
        "EMAIL_ITEM": str(person.items.get().pk),
        "FIELD": str(field.pk),
        "HOT": str(stage.pk),
        "BOB": user_guid(bob.pk),
    }
