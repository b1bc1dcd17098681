"""The bulk writer's update mode: rows matched with existing contacts, and written over them.

Update mode matches each row with an existing contact the user may edit (by email, or by a
chosen column: ID, an email or phone column, a company name, a custom field); cells given
overwrite, items, addresses, tags and projects not yet there are added, nothing is removed.
A row matching several contacts, a contact the user may not edit or one of the other kind is
refused. The matched contacts of a chunk are read at once and written by one UPDATE statement
per set of columns given (executemany); their new items, addresses, tags, projects and custom
values go in as plain rows, as a new contact's do.

`UpdateMode` is a part of `BulkWriter` (contacts.importers.writing), whose `write` calls
`_matches` and `_update` for each chunk. It works on the writer's state: `user`, `preparer`,
`match_target`, `projects` and `companies`, and its `_children` and `_tag_ids`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower

from contacts.importers.rows import PreparedRow
from contacts.importers.tables import (
    ADDRESS_COLUMNS,
    ITEM_COLUMNS,
    NAME_COLUMNS,
    ContactLink,
    display_name,
    insert_rows,
)
from contacts.models import Address, Contact, ContactItem, CustomValue, TaggedContact
from contacts.selectors import contact_list, contact_rights

if TYPE_CHECKING:
    from contacts.importers.writing import ChunkResult


class UpdateMode:
    """`BulkWriter`'s update mode: rows matched with existing contacts, and written over them (see the
    module docstring)."""

    # Matching existing contacts ----------------------------------------------------------------

    def _matches(self, rows: list[PreparedRow], result: ChunkResult) -> dict[int, int]:
        """Row number → id of the contact it updates; rows matching several contacts, or one the user
        may not edit, are refused (into `result.errors`) and left out of `rows`."""
        visible = contact_list(user=self.user or _SUPERUSER, prefetch=False)
        target = self.match_target
        keys_of: dict[int, list[str]] = {}
        for row in rows:
            if not target:
                keys_of[row.number] = [item[5] for item in row.items if item[0] == "email"]
            elif row.match:
                keys_of[row.number] = [self._match_key(row.match)]
        keys = {key for values in keys_of.values() for key in values if key}
        found: dict[str, set[int]] = defaultdict(set)
        if keys:
            for key, pk in self._lookup(visible, keys):
                found[str(key)].add(pk)
        matched: dict[int, int] = {}
        refused: set[int] = set()
        for row in rows:
            candidates = {pk for key in keys_of.get(row.number, []) for pk in found.get(key, ())}
            if len(candidates) > 1:
                column = self.preparer.label(target or "email.1")
                result.errors.append((row.number, column, f"Matches {len(candidates)} contacts: update them by ID."))
                refused.add(row.number)
            elif candidates:
                matched[row.number] = candidates.pop()
        if matched:
            contacts = list(visible.filter(pk__in=set(matched.values())).prefetch_related("projects", "access_list"))
            rights = contact_rights(user=self.user or _SUPERUSER, contacts=contacts)
            kinds = {contact.pk: contact.is_company for contact in contacts}
            for row in rows:
                pk = matched.get(row.number)
                if pk is None:
                    continue
                if not rights[pk].can_edit:
                    result.errors.append((row.number, "", "You may not edit the contact this row matches."))
                elif kinds[pk] != row.is_company:
                    kind = "company" if kinds[pk] else "person"
                    result.errors.append((row.number, "", f"This row matches a {kind} of another kind."))
                else:
                    continue
                refused.add(row.number)
                del matched[row.number]
        rows[:] = [row for row in rows if row.number not in refused]
        return matched

    def _match_key(self, value: str) -> str:
        target = self.match_target
        if target.startswith("email."):
            return value.lower()
        if target.startswith("tel."):
            normalized = self.preparer._phone(value)
            return normalized if isinstance(normalized, str) else ""
        if target.startswith("custom."):
            field = self.preparer.custom_fields.get(int(target.split(".")[1]))
            try:
                return field.to_storage(value) if field else ""
            except Exception:  # noqa: BLE001 (a value the field refuses matches nothing)
                return ""
        if target in ("name", "full_name"):
            return value.lower()
        return value

    def _lookup(self, visible: Any, keys: set[str]) -> Iterable[tuple[Any, int]]:
        target = self.match_target
        ids = visible.values("pk")
        if not target or target.startswith(("email.", "tel.")):
            kind = "tel" if target.startswith("tel.") else "email"
            items = ContactItem.objects.filter(kind=kind, normalized__in=keys, contact_id__in=ids)
            return items.values_list("normalized", "contact_id")
        if target == "id":
            numbers = [int(key) for key in keys if key.isascii() and key.isdigit() and len(key) < 19]
            return ((str(pk), pk) for pk in visible.filter(pk__in=numbers).values_list("pk", flat=True))
        if target.startswith("custom."):
            values = CustomValue.objects.filter(field_id=int(target.split(".")[1]), value__in=keys, contact_id__in=ids)
            return values.values_list("value", "contact_id")
        if target in ("name", "full_name"):
            named = visible.annotate(lower_name=Lower("display_name")).filter(lower_name__in=keys)
            return named.values_list("lower_name", "pk")
        raise ValueError(f"Contacts cannot be matched on {target}.")

    # Updating ----------------------------------------------------------------------------------

    def _update(self, fill: list[tuple[PreparedRow, int]], now: Any) -> None:
        if not fill:
            return
        ids = [pk for _, pk in fill]
        current = {
            pk: dict(zip(NAME_COLUMNS, rest, strict=True))
            for pk, *rest in Contact.objects.filter(pk__in=ids).values_list("pk", *NAME_COLUMNS)
        }
        held_items = set(ContactItem.objects.filter(contact_id__in=ids).values_list("contact_id", "kind", "normalized"))
        positions = defaultdict(int)
        for contact_id, position in ContactItem.objects.filter(contact_id__in=ids).values_list(
            "contact_id", "position"
        ):
            positions[contact_id] = max(positions[contact_id], position + 1)
        held_addresses = set(
            Address.objects.filter(contact_id__in=ids).values_list(
                "contact_id", "street1", "street2", "city", "region", "postcode", "country"
            )
        )
        held_tags = set(
            TaggedContact.objects.filter(content_object_id__in=ids).values_list("content_object_id", "tag_id")
        )
        held_links = set(ContactLink.objects.filter(contact_id__in=ids).values_list("contact_id", "project_id"))
        statements: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        items, addresses, custom, tagged, links = [], [], [], [], []
        for row, pk in fill:
            fields = dict(row.fields)
            if row.company:
                fields["company_id"] = self.companies[row.company.lower()]
            if "birthday" in fields:
                fields["birthday"] = connection.ops.adapt_datefield_value(fields["birthday"])
            merged = current[pk] | {k: v for k, v in fields.items() if k in NAME_COLUMNS}
            fields["display_name"] = display_name(merged, is_company=merged["is_company"])
            fields["updated_at"] = now
            columns = tuple(sorted(fields))
            statements[columns].append([fields[c] for c in columns] + [pk])
            skip = {(kind, normalized) for contact_id, kind, normalized in held_items if contact_id == pk}
            new_addresses = [a for a in row.addresses if (pk, *a[:6]) not in held_addresses]
            extra = PreparedRow(number=row.number, is_company=row.is_company, fields={}, items=row.items,
                                addresses=new_addresses, custom=row.custom)  # fmt: skip
            self._children(extra, pk, items, addresses, custom, start=positions[pk], skip=skip)
            tagged += [(pk, tag) for tag in self._tag_ids(row.tags) if (pk, tag) not in held_tags]
            links += [(pk, p) for p in dict.fromkeys([*row.projects, *self.projects]) if (pk, p) not in held_links]
        with connection.cursor() as cursor:
            for columns, params in statements.items():
                assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
                cursor.executemany(f"UPDATE contacts_contact SET {assignments} WHERE id = %s", params)
        replaced = [(pk, field_id) for pk, field_id, _ in custom]
        if replaced:
            CustomValue.objects.filter(_pairs_q(replaced)).delete()
        insert_rows(ContactItem, ITEM_COLUMNS, items)
        insert_rows(Address, ADDRESS_COLUMNS, addresses)
        insert_rows(TaggedContact, ["content_object_id", "tag_id"], tagged)
        insert_rows(ContactLink, ["contact_id", "project_id"], links)
        insert_rows(CustomValue, ["contact_id", "field_id", "value"], custom)


def _pairs_q(pairs: list[tuple[int, int]]) -> Q:
    condition = Q(pk__in=[])
    by_field: dict[int, list[int]] = defaultdict(list)
    for pk, field_id in pairs:
        by_field[field_id].append(pk)
    for field_id, pks in by_field.items():
        condition |= Q(field_id=field_id, contact_id__in=pks)
    return condition


_SUPERUSER = SimpleNamespace(is_authenticated=True, is_superuser=True, pk=None)
