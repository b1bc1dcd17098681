"""ONLYOFFICE's wrappers: what the per-combination tables give equals what each item says."""

from __future__ import annotations

import itertools

from contacts.models import ContactItem
from contacts.rows import ItemRow
from dialects.onlyoffice.fields import item_category, item_info_type
from dialects.onlyoffice.representations import contact_info

SERVICES = ("", "skype", "Skype", "telegram", "facebook", "github", "unknown")


def test_an_items_common_data_depends_on_its_kind_type_context_and_service_alone():
    combinations = itertools.product(
        ContactItem.Kind.values, ContactItem.TelType.values, ContactItem.Context.values, SERVICES
    )
    for pk, (kind, tel_type, context, service) in enumerate(combinations, start=1):
        item = ItemRow(pk, 7, kind, tel_type, context, service, f"value {pk}", pk % 2 == 0)
        number, name = item_category(item)
        assert contact_info(item) == {
            "InfoType": item_info_type(item),
            "Category": number,
            "Data": f"value {pk}",
            "CategoryName": name,
            "IsPrimary": pk % 2 == 0,
            "id": pk,
        }
