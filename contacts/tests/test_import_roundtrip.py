"""An export in the interchange columns imports back with nothing lost.

The file is written here in the columns the CSV export writes (docs/import.md lists them): every
field, item, address, tag, project and custom value of a company and a person goes out, the
contacts are deleted, the file comes back in, and the contacts compare equal field by field.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

import pytest

from contacts.importers import default_targets, import_run, source_open
from contacts.models import Contact, ContactStage, ContactType, CustomField
from contacts.services import contact_create
from projects.services import project_create

pytestmark = pytest.mark.django_db

FIELDS = ("is_company", "salutation", "first_name", "middle_name", "last_name", "name", "job_title", "department",
          "industry", "background", "birthday", "currency", "priority", "visibility", "display_name")  # fmt: skip


def snapshot(contact: Contact) -> dict[str, Any]:
    """Everything a contact holds, without its id, uuid and timestamps."""
    return {
        **{name: getattr(contact, name) for name in FIELDS},
        "company": contact.company.display_name if contact.company else None,
        "type": contact.contact_type.code if contact.contact_type else None,
        "stage": contact.stage.name if contact.stage else None,
        "assigned_to": contact.assigned_to.username if contact.assigned_to else None,
        "author": contact.author.username if contact.author else None,
        "items": [
            (i.kind, i.tel_type, i.context, i.service, i.value, i.normalized, i.is_primary)
            for i in contact.items.order_by("position", "id")
        ],  # fmt: skip
        "addresses": [
            (a.street1, a.street2, a.city, a.region, a.postcode, str(a.country), a.context, a.is_primary)
            for a in contact.addresses.order_by("position", "id")
        ],  # fmt: skip
        "tags": sorted(contact.tags.names()),
        "projects": sorted(contact.projects.values_list("identifier", flat=True)),
        "custom": dict(contact.custom_values.values_list("field__name", "value")),
    }


def interchange_file(path: Any, contacts: list[Contact]) -> None:
    """The contacts in the export's interchange columns (two phones, emails and addresses at most)."""
    fields = list(CustomField.objects.exclude(field_format="heading"))
    kinds = {"tel": "Phone", "email": "Email", "url": "Website", "skype": "Skype", "messenger": "Messenger",
             "social": "Social"}  # fmt: skip
    headers = ["ID", "Kind", "First name", "Middle name", "Last name", "Company name", "Company", "Salutation",
               "Job title", "Department", "Industry", "Background", "Birthday", "Type", "Stage", "Currency",
               "Priority", "Assigned to", "Visibility", "Projects", "Tags"]  # fmt: skip
    for word in kinds.values():
        for n in (1, 2):
            headers += [f"{word} {n}", f"{word} {n} type"]
    for n in (1, 2):
        headers += [f"Address {n} {part}" for part in
                    ("street", "street 2", "city", "region", "postcode", "country", "type")]  # fmt: skip
    headers += [f"Custom: {field.name}" for field in fields] + ["Created", "Updated"]
    rows = [headers]
    for c in contacts:
        row = [c.pk, "company" if c.is_company else "person", c.first_name, c.middle_name, c.last_name, c.name,
               c.company.display_name if c.company else "", c.salutation, c.job_title, c.department, c.industry,
               c.background, c.birthday.isoformat() if c.birthday else "",
               c.contact_type.code if c.contact_type else "", c.stage.name if c.stage else "", c.currency,
               c.priority if c.priority is not None else "", c.assigned_to.username if c.assigned_to else "",
               c.visibility, "; ".join(sorted(c.projects.values_list("identifier", flat=True))),
               "; ".join(sorted(c.tags.names()))]  # fmt: skip
        for kind in kinds:
            items = [i for i in c.items.order_by("position", "id") if i.kind == kind] + [None, None]
            for item in items[:2]:
                if item is None:
                    row += ["", ""]
                    continue
                words = [item.context, item.tel_type or item.service, "primary" if item.is_primary else ""]
                value = "'" + item.value if item.value[:1] in "=+-@" else item.value
                row += [value, " ".join(w for w in words if w)]
        addresses = list(c.addresses.order_by("position", "id")) + [None, None]
        for a in addresses[:2]:
            row += ([a.street1, a.street2, a.city, a.region, a.postcode, str(a.country),
                     f"{a.context} primary" if a.is_primary else a.context] if a else [""] * 7)  # fmt: skip
        values = dict(c.custom_values.values_list("field_id", "value"))
        for field in fields:
            stored = values.get(field.pk, "")
            if field.field_format == "boolean" and stored:
                stored = "yes" if stored == "1" else "no"
            elif field.field_format == "multi-list" and stored:
                stored = "; ".join(field.from_storage(stored))
            row.append(stored)
        rows.append([*row, c.created_at.isoformat(), c.updated_at.isoformat()])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_an_export_imports_back_with_every_field_item_address_tag_project_and_custom_value(tmp_path, alice, bob,
                                                                                           project):  # fmt: skip
    sales = project_create(name="Sales", identifier="sales", creator=alice)
    license_field = CustomField.objects.create(name="License", field_format="list", choices=["Basic", "Pro"])
    employees = CustomField.objects.create(name="Employees", field_format="integer", applies_to="companies")
    opt_in = CustomField.objects.create(name="Newsletter", field_format="boolean", applies_to="persons")
    topics = CustomField.objects.create(name="Topics", field_format="multi-list", choices=["AI", "Maths", "Music"])
    CustomField.objects.create(name="Section", field_format="heading")
    client = ContactType.objects.get_or_create(code="client", defaults={"name": "Client"})[0]
    hot = ContactStage.objects.get_or_create(name="Hot")[0]
    acme = contact_create(
        user=alice,
        fields={"is_company": True, "name": "Acme Engines", "industry": "Machines", "currency": "EUR", "priority": 2,
                "visibility": "public", "background": "Makes engines."},
        items=[{"kind": "tel", "value": "+1 202 555 0100", "is_primary": True},
               {"kind": "url", "value": "acme.example.com"}],
        addresses=[{"street1": "1 Engine Way", "city": "Springfield", "region": "IL", "postcode": "62701",
                    "country": "US", "context": "billing", "is_primary": True}],
        custom_values={employees.pk: "250", license_field.pk: "Pro"},
        tags=["supplier"],
        projects=[project],
    )  # fmt: skip
    contact_create(
        user=alice,
        fields={"first_name": "Ada", "middle_name": "King", "last_name": "Lovelace", "salutation": "Lady",
                "company": acme, "job_title": "Analyst", "department": "R&D", "background": "Notes:\nfirst, second",
                "birthday": date(1985, 12, 10), "contact_type": client, "stage": hot, "assigned_to": bob,
                "visibility": "project", "priority": -1},
        items=[{"kind": "tel", "tel_type": "cell", "context": "home", "value": "+44 7700 900123", "is_primary": True},
               {"kind": "tel", "tel_type": "fax", "value": "020 7946 0018"},
               {"kind": "email", "value": "ada@example.com", "is_primary": True},
               {"kind": "email", "context": "home", "value": "ada.home@example.org"},
               {"kind": "url", "value": "https://ada.example.com/about"},
               {"kind": "skype", "value": "ada.lovelace"},
               {"kind": "messenger", "service": "jabber", "value": "ada@jabber.example"},
               {"kind": "social", "service": "twitter", "context": "other", "value": "@ada"}],
        addresses=[{"street1": "12 St James's Square", "street2": "Flat 2", "city": "London", "postcode": "SW1Y 4JH",
                    "country": "GB", "context": "home", "is_primary": True},
                   {"city": "Paris", "country": "FR", "context": "postal"}],
        custom_values={license_field.pk: "Basic", opt_in.pk: True, topics.pk: ["AI", "Maths"]},
        tags=["vip", "maths"],
        projects=[project, sales],
    )  # fmt: skip
    contacts = list(Contact.objects.order_by("display_name"))
    before = [snapshot(contact) for contact in contacts]
    path = tmp_path / "export.csv"
    interchange_file(path, contacts)
    assert "'+44 7700 900123" in path.read_text()  # written as an export writes it, safe from spreadsheets
    assert len(before[1]["items"]) == 8 and len(before[1]["custom"]) == 3
    Contact.objects.all().delete()
    source = source_open(path)

    summary = import_run(source=source, targets=default_targets(source), user=alice)

    assert (summary.created, summary.rejected, summary.errors) == (2, 0, [])
    assert [snapshot(contact) for contact in Contact.objects.order_by("display_name")] == before
