"""Many contacts with everything a dialect's list shows, written in bulk: the data of the tests that
count a list's queries at a page of 1 and a page of 100."""

from __future__ import annotations

from typing import Any

from contacts.models import Address, Contact, ContactItem, CustomField, CustomValue, Tag, TaggedContact, Visibility
from projects.models import Project


def rich_contacts(*, n: int, author: Any, project: Project, field: CustomField, sharer: Any) -> list[Contact]:
    """A public company of `project` and `n` of its people: each with a phone, an email, an
    address, a value of `field` and a tag; every other one private, shared with `sharer`."""
    company = Contact.objects.create(is_company=True, name="Bulk Corp", display_name="Bulk Corp", author=author)
    people = Contact.objects.bulk_create(
        Contact(
            first_name=f"P{i:03}",
            last_name="Bulk",
            display_name=f"P{i:03} Bulk",
            company=company,
            author=author,
            visibility=Visibility.PRIVATE if i % 2 else Visibility.PROJECT,
        )
        for i in range(n)
    )
    contacts = [company, *people]
    Contact.projects.through.objects.bulk_create(
        Contact.projects.through(contact_id=contact.pk, project_id=project.pk) for contact in contacts
    )
    Contact.access_list.through.objects.bulk_create(
        Contact.access_list.through(contact_id=person.pk, user_id=sharer.pk)
        for person in people
        if person.visibility == Visibility.PRIVATE
    )
    ContactItem.objects.bulk_create(
        item
        for person in people
        for item in (
            ContactItem(contact=person, kind="tel", tel_type="voice", value=f"+1 202 555 {person.pk:04d}"),
            ContactItem(contact=person, kind="email", value=f"p{person.pk}@example.com", position=1),
        )
    )
    Address.objects.bulk_create(Address(contact=person, city="Riga", country="LV") for person in people)
    CustomValue.objects.bulk_create(CustomValue(contact=person, field=field, value="Pro") for person in people)
    tag, _ = Tag.objects.get_or_create(name="bulk", slug="bulk")
    TaggedContact.objects.bulk_create(TaggedContact(content_object=person, tag=tag) for person in people)
    return contacts
