"""ONLYOFFICE CRM wrappers (seed 000, research §1.5/§1.6): field names, enums and value formats.

Output serializers produce the seed's PascalCase keys (lowercase `id`) in the seed's order; the
person and company fields come first, as ONLYOFFICE's serializer writes a subclass's members
before its base class's (ContactWrapper.cs). Every key is always written (an absent object is
null, an empty list []), so a client sees one stable shape.

Input serializers map ONLYOFFICE's camelCase parameters onto the names `contacts.services`
takes (`source=`) and translate the enums; they look nothing up except the objects an id names.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import IntegerChoices
from django_countries import countries
from rest_framework import serializers

from contacts.models import Address, Contact, ContactItem, ContactStage, ContactType, CustomField, Visibility
from contacts.selectors import ContactRights, contact_get, contact_tags

User = get_user_model()


# --- Enums (research §1.6) -------------------------------------------------------------


class InfoType(IntegerChoices):
    PHONE = 0, "Phone"
    EMAIL = 1, "Email"
    WEBSITE = 2, "Website"
    SKYPE = 3, "Skype"
    TWITTER = 4, "Twitter"
    LINKEDIN = 5, "LinkedIn"
    FACEBOOK = 6, "Facebook"
    ADDRESS = 7, "Address"
    LIVEJOURNAL = 8, "LiveJournal"
    MYSPACE = 9, "MySpace"
    GMAIL = 10, "GMail"
    BLOGGER = 11, "Blogger"
    YAHOO = 12, "Yahoo"
    MSN = 13, "MSN"
    ICQ = 14, "ICQ"
    JABBER = 15, "Jabber"
    AIM = 16, "AIM"
    VK = 17, "VK"


class PhoneCategory(IntegerChoices):
    HOME = 0, "Home"
    WORK = 1, "Work"
    MOBILE = 2, "Mobile"
    FAX = 3, "Fax"
    DIRECT = 4, "Direct"
    OTHER = 5, "Other"


class AddressCategory(IntegerChoices):
    HOME = 0, "Home"
    POSTAL = 1, "Postal"
    OFFICE = 2, "Office"
    BILLING = 3, "Billing"
    OTHER = 4, "Other"
    WORK = 5, "Work"


class BaseCategory(IntegerChoices):
    HOME = 0, "Home"
    WORK = 1, "Work"
    OTHER = 2, "Other"


class ShareType(IntegerChoices):
    NONE = 0, "None"
    READ_WRITE = 1, "ReadWrite"
    READ = 2, "Read"


class FieldType(IntegerChoices):
    TEXT_FIELD = 0, "TextField"
    TEXT_AREA = 1, "TextArea"
    SELECT_BOX = 2, "SelectBox"
    CHECK_BOX = 3, "CheckBox"
    HEADING = 4, "Heading"
    DATE = 5, "Date"


class ContactListView(IntegerChoices):
    ALL = 0, "All"
    COMPANY = 1, "Company"
    PERSON = 2, "Person"
    WITH_OPPORTUNITY = 3, "WithOpportunity"


def category_enum(info_type: int) -> type[IntegerChoices]:
    """The Category enum of an InfoType."""
    return {InfoType.PHONE: PhoneCategory, InfoType.ADDRESS: AddressCategory}.get(info_type, BaseCategory)


Kind = ContactItem.Kind
Tel = ContactItem.TelType
Ctx = ContactItem.Context

# InfoType ↔ (ContactItem.kind, service). Addresses (7) are Address rows, not items.
INFO_TYPE_ITEM: dict[int, tuple[str, str]] = {
    InfoType.PHONE: (Kind.TEL, ""),
    InfoType.EMAIL: (Kind.EMAIL, ""),
    InfoType.WEBSITE: (Kind.URL, ""),
    InfoType.SKYPE: (Kind.SKYPE, ""),
    InfoType.TWITTER: (Kind.SOCIAL, "twitter"),
    InfoType.LINKEDIN: (Kind.SOCIAL, "linkedin"),
    InfoType.FACEBOOK: (Kind.SOCIAL, "facebook"),
    InfoType.LIVEJOURNAL: (Kind.SOCIAL, "livejournal"),
    InfoType.MYSPACE: (Kind.SOCIAL, "myspace"),
    InfoType.GMAIL: (Kind.MESSENGER, "gmail"),
    InfoType.BLOGGER: (Kind.SOCIAL, "blogger"),
    InfoType.YAHOO: (Kind.MESSENGER, "yahoo"),
    InfoType.MSN: (Kind.MESSENGER, "msn"),
    InfoType.ICQ: (Kind.MESSENGER, "icq"),
    InfoType.JABBER: (Kind.MESSENGER, "jabber"),
    InfoType.AIM: (Kind.MESSENGER, "aim"),
    InfoType.VK: (Kind.SOCIAL, "vk"),
}
ITEM_INFO_TYPE = {pair: info for info, pair in INFO_TYPE_ITEM.items()}
# Items written by other dialects with a service ONLYOFFICE has no type for.
FALLBACK_INFO_TYPE = {Kind.MESSENGER: InfoType.JABBER, Kind.SOCIAL: InfoType.WEBSITE}

# PhoneCategory ↔ (tel_type, context). Direct is a work line and reads back as Work; a
# pager reads as Other.
PHONE_CATEGORY_ITEM: dict[int, tuple[str, str | None]] = {
    PhoneCategory.HOME: (Tel.VOICE, Ctx.HOME),
    PhoneCategory.WORK: (Tel.VOICE, Ctx.WORK),
    PhoneCategory.MOBILE: (Tel.CELL, None),
    PhoneCategory.FAX: (Tel.FAX, None),
    PhoneCategory.DIRECT: (Tel.VOICE, Ctx.WORK),
    PhoneCategory.OTHER: (Tel.VOICE, Ctx.OTHER),
}
BASE_CATEGORY_CONTEXT = {BaseCategory.HOME: Ctx.HOME, BaseCategory.WORK: Ctx.WORK, BaseCategory.OTHER: Ctx.OTHER}
CONTEXT_BASE_CATEGORY = {ctx: cat for cat, ctx in BASE_CATEGORY_CONTEXT.items()}
# AddressCategory ↔ Address.context. Office is a work address (reads back as Work); our
# delivery addresses read as Other.
ADDRESS_CATEGORY_CONTEXT = {
    AddressCategory.HOME: Address.Context.HOME,
    AddressCategory.POSTAL: Address.Context.POSTAL,
    AddressCategory.OFFICE: Address.Context.WORK,
    AddressCategory.BILLING: Address.Context.BILLING,
    AddressCategory.OTHER: Address.Context.OTHER,
    AddressCategory.WORK: Address.Context.WORK,
}
CONTEXT_ADDRESS_CATEGORY = {
    Address.Context.HOME: AddressCategory.HOME,
    Address.Context.POSTAL: AddressCategory.POSTAL,
    Address.Context.BILLING: AddressCategory.BILLING,
    Address.Context.OTHER: AddressCategory.OTHER,
    Address.Context.DELIVERY: AddressCategory.OTHER,
    Address.Context.WORK: AddressCategory.WORK,
}

# FieldType ↔ CustomField.field_format. Our formats without an ONLYOFFICE twin read as a
# text field (numbers, URLs, emails) or a select box (several choices).
FIELD_TYPE_FORMAT = {
    FieldType.TEXT_FIELD: CustomField.Format.STRING,
    FieldType.TEXT_AREA: CustomField.Format.TEXT,
    FieldType.SELECT_BOX: CustomField.Format.LIST,
    FieldType.CHECK_BOX: CustomField.Format.BOOLEAN,
    FieldType.HEADING: CustomField.Format.HEADING,
    FieldType.DATE: CustomField.Format.DATE,
}
FORMAT_FIELD_TYPE = {fmt: ft for ft, fmt in FIELD_TYPE_FORMAT.items()} | {
    CustomField.Format.MULTI_LIST: FieldType.SELECT_BOX,
}

# ONLYOFFICE's currency table (title, symbol, culture); USD is the portal's basic currency.
BASIC_CURRENCY = "USD"
CURRENCIES: dict[str, tuple[str, str, str]] = {
    "AUD": ("Australian Dollar", "A$", "AU"),
    "BRL": ("Brazilian Real", "R$", "BR"),
    "CAD": ("Canadian Dollar", "C$", "CA"),
    "CHF": ("Swiss Franc", "₣", "CH"),
    "CNY": ("Chinese Yuan", "¥", "CN"),
    "CZK": ("Czech Koruna", "Kč", "CZ"),
    "DKK": ("Danish Krone", "kr", "DK"),
    "EUR": ("Euro", "€", "EU"),
    "GBP": ("Pound Sterling", "£", "GB"),
    "HKD": ("Hong Kong Dollar", "HK$", "HK"),
    "INR": ("Indian Rupee", "₨", "IN"),
    "JPY": ("Japanese Yen", "¥", "JP"),
    "KRW": ("South Korean Won", "₩", "KR"),
    "MXN": ("Mexican Peso", "Mex$", "MX"),
    "NOK": ("Norwegian Krone", "kr", "NO"),
    "NZD": ("New Zealand Dollar", "NZ$", "NZ"),
    "PLN": ("Polish Zloty", "zł", "PL"),
    "RUB": ("Russian Ruble", "руб.", "RU"),
    "SEK": ("Swedish Krona", "kr", "SE"),
    "SGD": ("Singapore Dollar", "S$", "SG"),
    "TRY": ("Turkish Lira", "TL", "TR"),
    "UAH": ("Ukrainian Hryvnia", "₴", "UA"),
    "USD": ("United States Dollar", "$", "US"),
    "ZAR": ("South African Rand", "R", "ZA"),
}

# --- Value formats ----------------------------------------------------------------------

# ONLYOFFICE user ids are GUIDs; ours embed the user id in the last twelve hex digits.
GUID_PREFIX = "00000000-0000-0000-0000-"


def user_guid(user_id: int) -> str:
    return f"{GUID_PREFIX}{user_id:012x}"


def user_id_from_guid(value: Any) -> int | None:
    try:
        text = str(uuid.UUID(str(value).strip()))
    except ValueError:
        return None
    if not text.startswith(GUID_PREFIX):
        return None
    return int(text[len(GUID_PREFIX) :], 16) or None


def api_datetime(value: datetime | date | None) -> str | None:
    """ONLYOFFICE's ApiDateTime in UTC: seven fractional digits (.NET ticks) and Z."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    value = value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond:06d}0Z"


def parse_api_datetime(value: Any, *, end_of_day: bool = False) -> datetime:
    """A roundtrip ISO date or datetime (7 fractional digits allowed); a bare date is its midnight
    (or its last microsecond with `end_of_day`)."""
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise serializers.ValidationError(f'"{text}" is not a date (use 2020-12-08 or 2020-12-08T17:37:04Z).') from None
    if len(text) <= 10 and end_of_day:
        parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def enum_value(enum: type[IntegerChoices], raw: Any) -> int:
    """An enum member by number or by name (case-insensitive), as ONLYOFFICE's binder accepts both."""
    text = str(raw).strip()
    if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and int(text) in enum.values:
        return int(text)
    for value, label in enum.choices:
        if label.lower() == text.lower():
            return value
    names = ", ".join(label for _, label in enum.choices)
    raise serializers.ValidationError(f'"{text}" is not one of {names}.')


def item_info_type(item: ContactItem) -> int:
    for key in ((item.kind, item.service.lower()), (item.kind, "")):
        if key in ITEM_INFO_TYPE:
            return int(ITEM_INFO_TYPE[key])
    return int(FALLBACK_INFO_TYPE.get(item.kind, InfoType.WEBSITE))


def item_category(item: ContactItem) -> tuple[int, str]:
    if item.kind == Kind.TEL:
        if item.tel_type == Tel.CELL:
            category = PhoneCategory.MOBILE
        elif item.tel_type == Tel.FAX:
            category = PhoneCategory.FAX
        elif item.tel_type == Tel.PAGER or item.context == Ctx.OTHER:
            category = PhoneCategory.OTHER
        else:
            category = PhoneCategory.HOME if item.context == Ctx.HOME else PhoneCategory.WORK
        return int(category), category.label
    category = CONTEXT_BASE_CATEGORY.get(item.context, BaseCategory.WORK)
    return int(category), category.label


def address_category(address: Address) -> AddressCategory:
    return CONTEXT_ADDRESS_CATEGORY.get(address.context, AddressCategory.OTHER)


def address_data(address: Address) -> str:
    """An address as ONLYOFFICE's InfoType 7 Data: a JSON string."""
    return json.dumps(
        {
            "street": address.street,
            "city": address.city,
            "state": address.region,
            "zip": address.postcode,
            "country": address.country_name,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def country_code(name: str) -> str:
    """An ISO 3166-1 code from a country name or code ("Latvia", "LV"); "" for blank."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 2 and name.upper() in dict(countries):
        return name.upper()
    code = countries.by_name(name, insensitive=True)
    if not code:
        raise serializers.ValidationError(f'"{name}" is not a known country.')
    return code


def custom_field_value(field: CustomField, stored: str) -> str:
    """A stored custom value as ONLYOFFICE's FieldValue string."""
    typed = field.from_storage(stored)
    if typed is None:
        return ""
    if isinstance(typed, bool):
        return "true" if typed else "false"
    if isinstance(typed, date):
        return api_datetime(typed) or ""
    if isinstance(typed, list):
        return ",".join(typed)
    return str(typed)


def field_type_of(field: CustomField) -> int:
    return int(FORMAT_FIELD_TYPE.get(field.field_format, FieldType.TEXT_FIELD))


def custom_field_mask(field: CustomField) -> str:
    """ONLYOFFICE's Mask: the choices of a select box as a JSON array; sizes of text fields are not kept."""
    if field.is_list:
        return json.dumps(field.choices, ensure_ascii=False, separators=(",", ":"))
    return ""


def photo_url(contact: Contact, request: Any) -> str:
    """The avatar's absolute URL (both foto sizes are the one stored image), or ""."""
    if not contact.avatar:
        return ""
    url = contact.avatar.url
    return request.build_absolute_uri(url) if request is not None else url


def share_type(contact: Contact) -> int:
    return ShareType.READ_WRITE if contact.visibility == Visibility.PUBLIC else ShareType.NONE


# --- Output -----------------------------------------------------------------------------


class EmployeeSerializer(serializers.Serializer):
    """A user as ONLYOFFICE's EmployeeWraper; we keep no job title, avatar or profile page for users."""

    Id = serializers.SerializerMethodField()
    DisplayName = serializers.SerializerMethodField()
    Title = serializers.SerializerMethodField()
    AvatarSmall = serializers.SerializerMethodField()
    ProfileUrl = serializers.SerializerMethodField()

    def get_Id(self, user: AbstractBaseUser) -> str:
        return user_guid(user.pk)

    def get_DisplayName(self, user: AbstractBaseUser) -> str:
        return user.get_full_name() or user.get_username()

    def get_Title(self, user: AbstractBaseUser) -> str:
        return ""

    def get_AvatarSmall(self, user: AbstractBaseUser) -> str:
        return ""

    def get_ProfileUrl(self, user: AbstractBaseUser) -> str:
        return ""


class ListItemBaseSerializer(serializers.Serializer):
    """ContactStatus (our ContactStage) or ContactType as nested in a contact."""

    id = serializers.IntegerField(source="pk")
    Title = serializers.CharField(source="name")
    Description = serializers.CharField(source="description")
    Color = serializers.CharField(source="color")
    SortOrder = serializers.IntegerField(source="position")


class ListItemSerializer(ListItemBaseSerializer):
    """A contact type or status on its own, with how many visible contacts have it."""

    RelativeItemsCount = serializers.SerializerMethodField()

    def get_RelativeItemsCount(self, item: ContactType | ContactStage) -> int:
        return self.context.get("counts", {}).get(item.pk, 0)


class AddressSerializer(serializers.Serializer):
    Street = serializers.CharField(source="street")
    City = serializers.CharField(source="city")
    State = serializers.CharField(source="region")
    Zip = serializers.CharField(source="postcode")
    Country = serializers.CharField(source="country_name")
    Category = serializers.SerializerMethodField()
    CategoryName = serializers.SerializerMethodField()
    IsPrimary = serializers.BooleanField(source="is_primary")

    def get_Category(self, address: Address) -> int:
        return int(address_category(address))

    def get_CategoryName(self, address: Address) -> str:
        return address_category(address).label


class ContactInfoSerializer(serializers.Serializer):
    """One CommonData row. Address rows (InfoType 7) appear here only under `contact/{id}/data`,
    with their ids negated so items and addresses share one id space."""

    InfoType = serializers.SerializerMethodField()
    Category = serializers.SerializerMethodField()
    Data = serializers.SerializerMethodField()
    CategoryName = serializers.SerializerMethodField()
    IsPrimary = serializers.BooleanField(source="is_primary")
    id = serializers.SerializerMethodField()

    def get_InfoType(self, row: ContactItem | Address) -> int:
        return InfoType.ADDRESS if isinstance(row, Address) else item_info_type(row)

    def get_Category(self, row: ContactItem | Address) -> int:
        return int(address_category(row)) if isinstance(row, Address) else item_category(row)[0]

    def get_Data(self, row: ContactItem | Address) -> str:
        return address_data(row) if isinstance(row, Address) else row.value

    def get_CategoryName(self, row: ContactItem | Address) -> str:
        return address_category(row).label if isinstance(row, Address) else item_category(row)[1]

    def get_id(self, row: ContactItem | Address) -> int:
        return -row.pk if isinstance(row, Address) else row.pk


class CustomFieldValueSerializer(serializers.Serializer):
    """A contact's value of a custom field (CustomFieldBaseWrapper)."""

    EntityId = serializers.IntegerField(source="contact_id")
    Label = serializers.CharField(source="field.name")
    FieldValue = serializers.SerializerMethodField()
    FieldType = serializers.SerializerMethodField()
    Position = serializers.IntegerField(source="field.position")
    Mask = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="field_id")

    def get_FieldValue(self, value: Any) -> str:
        return custom_field_value(value.field, value.value)

    def get_FieldType(self, value: Any) -> int:
        return field_type_of(value.field)

    def get_Mask(self, value: Any) -> str:
        return custom_field_mask(value.field)


class CustomFieldSerializer(serializers.Serializer):
    """A custom field definition (CustomFieldWrapper): EntityId 0, no value, and its usage count."""

    EntityId = serializers.SerializerMethodField()
    Label = serializers.CharField(source="name")
    FieldValue = serializers.SerializerMethodField()
    FieldType = serializers.SerializerMethodField()
    Position = serializers.IntegerField(source="position")
    Mask = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="pk")
    RelativeItemsCount = serializers.SerializerMethodField()

    def get_EntityId(self, field: CustomField) -> int:
        return 0

    def get_FieldValue(self, field: CustomField) -> str:
        return ""

    def get_FieldType(self, field: CustomField) -> int:
        return field_type_of(field)

    def get_Mask(self, field: CustomField) -> str:
        return custom_field_mask(field)

    def get_RelativeItemsCount(self, field: CustomField) -> int:
        return self.context.get("counts", {}).get(field.pk, 0)


class CurrencySerializer(serializers.Serializer):
    Title = serializers.SerializerMethodField()
    Symbol = serializers.SerializerMethodField()
    Abbreviation = serializers.SerializerMethodField()
    CultureName = serializers.SerializerMethodField()
    IsConvertable = serializers.SerializerMethodField()
    IsBasic = serializers.SerializerMethodField()

    def get_Title(self, code: str) -> str:
        return CURRENCIES.get(code, (code, "", ""))[0]

    def get_Symbol(self, code: str) -> str:
        return CURRENCIES.get(code, ("", code, ""))[1]

    def get_Abbreviation(self, code: str) -> str:
        return code

    def get_CultureName(self, code: str) -> str:
        return CURRENCIES.get(code, ("", "", ""))[2]

    def get_IsConvertable(self, code: str) -> bool:
        return code in CURRENCIES

    def get_IsBasic(self, code: str) -> bool:
        return code == BASIC_CURRENCY


class ContactBaseSerializer(serializers.Serializer):
    """ContactBaseWrapper. The context carries `rights` (contacts.selectors.contact_rights) for
    CanEdit/CanDelete; contacts need `projects` and `access_list` prefetched."""

    id = serializers.IntegerField(source="pk")
    SmallFotoUrl = serializers.SerializerMethodField()
    MediumFotoUrl = serializers.SerializerMethodField()
    DisplayName = serializers.CharField(source="display_name")
    IsCompany = serializers.BooleanField(source="is_company")
    AccessList = serializers.SerializerMethodField()
    IsPrivate = serializers.SerializerMethodField()
    IsShared = serializers.SerializerMethodField()
    ShareType = serializers.SerializerMethodField()
    Currency = serializers.SerializerMethodField()
    CanEdit = serializers.SerializerMethodField()
    CanDelete = serializers.SerializerMethodField()

    def get_SmallFotoUrl(self, contact: Contact) -> str:
        return photo_url(contact, self.context.get("request"))

    def get_MediumFotoUrl(self, contact: Contact) -> str:
        return photo_url(contact, self.context.get("request"))

    def get_AccessList(self, contact: Contact) -> list[dict[str, Any]]:
        if contact.visibility != Visibility.PRIVATE:
            return []
        users = sorted(contact.access_list.all(), key=lambda u: u.pk)
        return EmployeeSerializer(users, many=True).data

    def get_IsPrivate(self, contact: Contact) -> bool:
        return contact.visibility == Visibility.PRIVATE

    def get_IsShared(self, contact: Contact) -> bool:
        return share_type(contact) in (ShareType.READ_WRITE, ShareType.READ)

    def get_ShareType(self, contact: Contact) -> int:
        return int(share_type(contact))

    def get_Currency(self, contact: Contact) -> dict[str, Any] | None:
        return CurrencySerializer(contact.currency).data if contact.currency else None

    def _rights(self, contact: Contact) -> ContactRights:
        return self.context["rights"][contact.pk]

    def get_CanEdit(self, contact: Contact) -> bool:
        return self._rights(contact).can_edit

    def get_CanDelete(self, contact: Contact) -> bool:
        return self._rights(contact).can_delete


class ContactSerializer(ContactBaseSerializer):
    """PersonWrapper or CompanyWrapper, with the seed's ContactWrapper members between the
    subclass members and the base ones. Needs the prefetches of contacts.selectors.contact_list,
    `access_list`, and the annotations `company_visible` and `persons_count` (views.contact_queryset)."""

    def to_representation(self, contact: Contact) -> dict[str, Any]:
        head = self._company_head(contact) if contact.is_company else self._person_head(contact)
        body = {
            "Addresses": AddressSerializer(contact.addresses.all(), many=True).data,
            "CreateBy": EmployeeSerializer(contact.author).data if contact.author_id else None,
            "Created": api_datetime(contact.created_at),
            "About": contact.background,
            "Industry": contact.industry,
            "ContactStatus": ListItemBaseSerializer(contact.stage).data if contact.stage_id else None,
            "ContactType": ListItemBaseSerializer(contact.contact_type).data if contact.contact_type_id else None,
            "CommonData": ContactInfoSerializer(contact.items.all(), many=True).data,
            "CustomFields": CustomFieldValueSerializer(custom_values_of(contact), many=True).data,
            "Tags": [tag.name for tag in contact_tags(contact)],
            # We keep no tasks (research §1.5: TaskCount, HaveLateTasks).
            "TaskCount": 0,
            "HaveLateTasks": False,
        }
        return head | body | super().to_representation(contact)

    def _person_head(self, contact: Contact) -> dict[str, Any]:
        company = contact.company if getattr(contact, "company_visible", False) else None
        return {
            "FirstName": contact.first_name,
            "LastName": contact.last_name,
            "Company": ContactBaseSerializer(company, context=self.context).data if company else None,
            "Title": contact.job_title,
        }

    def _company_head(self, contact: Contact) -> dict[str, Any]:
        return {
            "CompanyName": contact.name,
            "PersonsCount": getattr(contact, "persons_count", 0),
        }


def custom_values_of(contact: Contact) -> list[Any]:
    """The contact's set custom values, from its prefetched values, by field position."""
    values = [v for v in contact.custom_values.all() if v.value != ""]
    return sorted(values, key=lambda v: (v.field.position, v.field_id))


class TagSerializer(serializers.Serializer):
    """TagWrapper: a dictionary entry with the number of visible contacts carrying it."""

    Title = serializers.CharField(source="name")
    RelativeItemsCount = serializers.IntegerField(source="count")


# --- Input ------------------------------------------------------------------------------


MAX_ID = 2**63 - 1  # BigAutoField; a larger number would overflow the database
MAX_QUICK = 100  # contacts one quick-create request may add


class IdField(serializers.IntegerField):
    """An object id, bounded so that a huge number is a 400 rather than a database overflow."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class GuidField(serializers.Field):
    """A user by ONLYOFFICE GUID."""

    def to_internal_value(self, data: Any) -> int:
        user_id = user_id_from_guid(data)
        if user_id is None:
            raise serializers.ValidationError(f'"{data}" is not a user id.')
        return user_id


class EnumField(serializers.Field):
    """An ONLYOFFICE enum by number or name."""

    def __init__(self, enum: type[IntegerChoices], **kwargs: Any) -> None:
        self.enum = enum
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        return enum_value(self.enum, data)


class KeyValueSerializer(serializers.Serializer):
    """One entry of `customFieldList`: {key: fieldId, value: ...}."""

    key = IdField()
    value = serializers.CharField(allow_blank=True, allow_null=True, required=False, default="")


class AccessInputSerializer(serializers.Serializer):
    """shareType / isShared / isPrivate + managerList → visibility and access list.

    ShareType ReadWrite or Read (or isShared) makes the contact public; isPrivate or a
    managerList makes it private to those managers (and its author); ShareType None alone
    leaves it to the members of its projects.
    """

    shareType = EnumField(ShareType, required=False)
    isShared = serializers.BooleanField(required=False, allow_null=True, default=None)
    isPrivate = serializers.BooleanField(required=False, allow_null=True, default=None)
    managerList = serializers.ListField(child=GuidField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in attrs.items() if k not in ("shareType", "isShared", "isPrivate", "managerList")}
        managers = attrs.get("managerList")
        if managers is not None:
            found = list(User.objects.filter(pk__in=managers, is_active=True))
            if len(found) != len(set(managers)):
                raise serializers.ValidationError({"managerList": "Unknown user in managerList."})
            out["access_list"] = found
        share = attrs.get("shareType")
        if attrs.get("isPrivate") or (share in (None, ShareType.NONE) and managers and not attrs.get("isShared")):
            out["visibility"] = Visibility.PRIVATE
        elif attrs.get("isShared") or share in (ShareType.READ_WRITE, ShareType.READ):
            out["visibility"] = Visibility.PUBLIC
        elif share == ShareType.NONE or attrs.get("isShared") is False or attrs.get("isPrivate") is False:
            out["visibility"] = Visibility.PROJECT
        return out


class ContactInputSerializer(AccessInputSerializer):
    about = serializers.CharField(source="background", required=False, allow_blank=True)
    customFieldList = KeyValueSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        entries = attrs.pop("customFieldList", None)
        out = super().validate(attrs)
        if entries is not None:
            known = set(CustomField.objects.values_list("pk", flat=True))
            # Empty values are skipped, and on update unknown field ids too (research §1.1).
            out["custom_values"] = {
                e["key"]: e["value"]
                for e in entries
                if e.get("value") not in (None, "") and (self.instance is None or e["key"] in known)
            }
        return out


class PersonInputSerializer(ContactInputSerializer):
    firstName = serializers.CharField(source="first_name", max_length=255)
    lastName = serializers.CharField(source="last_name", max_length=255)
    jobTitle = serializers.CharField(source="job_title", required=False, allow_blank=True, max_length=255)
    companyId = IdField(source="company", required=False, allow_null=True)

    def validate_companyId(self, value: int | None) -> Contact | None:
        if not value:
            return None
        company = contact_get(user=self.context["request"].user, pk=value, prefetch=False)
        if company is None or not company.is_company:
            raise serializers.ValidationError(f"There is no company with id {value}.")
        return company


class CompanyInputSerializer(ContactInputSerializer):
    companyName = serializers.CharField(source="name", max_length=255)
    personList = serializers.ListField(child=IdField(), required=False)


class ContactInfoInputSerializer(serializers.Serializer):
    """`contact/{id}/data`: infoType, data, category (a name or number), isPrimary."""

    infoType = EnumField(InfoType, required=False)
    data = serializers.CharField(max_length=2000)
    category = serializers.CharField(required=False, allow_blank=True)
    isPrimary = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        info = attrs.get("infoType")
        if info is None:
            info = self.context.get("info_type")
        if info is None:
            raise serializers.ValidationError({"infoType": "This field is required."})
        attrs["infoType"] = info
        raw_category = attrs.get("category")
        if info == InfoType.ADDRESS:
            attrs["address"] = self._address(attrs["data"], raw_category)
        else:
            attrs["item"] = self._item(info, attrs["data"], raw_category)
        if attrs.get("isPrimary") is not None:
            attrs.get("address", attrs.get("item"))["is_primary"] = attrs["isPrimary"]
        return attrs

    def _item(self, info: int, data: str, raw_category: str | None) -> dict[str, Any]:
        kind, service = INFO_TYPE_ITEM[info]
        item: dict[str, Any] = {"kind": kind, "service": service, "value": data}
        if raw_category in (None, ""):
            if self.context.get("partial"):
                return item
            raw_category = "Work"
        try:
            if kind == Kind.TEL:
                tel_type, context = PHONE_CATEGORY_ITEM[enum_value(PhoneCategory, raw_category)]
                item["tel_type"] = tel_type
                if context is not None:
                    item["context"] = context
            else:
                item["context"] = BASE_CATEGORY_CONTEXT[enum_value(BaseCategory, raw_category)]
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"category": exc.detail}) from None
        return item

    def _address(self, data: str, raw_category: str | None) -> dict[str, Any]:
        # Address Data is a JSON object string {"street","city","state","zip","country"}.
        try:
            parts = json.loads(data)
        except ValueError:
            parts = None
        if not isinstance(parts, dict):
            raise serializers.ValidationError(
                {"data": 'An address is a JSON object: {"street":..,"city":..,"state":..,"zip":..,"country":..}.'}
            )
        lowered = {str(k).lower(): "" if v is None else str(v) for k, v in parts.items()}
        try:
            country = country_code(lowered.get("country", ""))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"data": exc.detail}) from None
        address: dict[str, Any] = {
            "street1": lowered.get("street", ""),
            "street2": "",
            "city": lowered.get("city", ""),
            "region": lowered.get("state", ""),
            "postcode": lowered.get("zip", ""),
            "country": country,
        }
        if raw_category not in (None, ""):
            try:
                address["context"] = ADDRESS_CATEGORY_CONTEXT[enum_value(AddressCategory, raw_category)]
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"category": exc.detail}) from None
        elif not self.context.get("partial"):
            address["context"] = Address.Context.WORK
        return address


class ListItemInputSerializer(serializers.Serializer):
    """A contact type or status: title, description, color, sortOrder."""

    title = serializers.CharField(source="name", max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    color = serializers.CharField(required=False, allow_blank=True, max_length=7)
    sortOrder = serializers.IntegerField(source="position", required=False, min_value=0, max_value=2**31 - 1)


class CustomFieldInputSerializer(serializers.Serializer):
    """label, fieldType (0-5), position, mask (a JSON array of choices for a select box)."""

    label = serializers.CharField(source="name", max_length=255)
    fieldType = EnumField(FieldType)
    position = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    mask = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        field_type = attrs.pop("fieldType")
        mask = attrs.pop("mask", "")
        current: CustomField | None = self.instance
        if current is not None and field_type_of(current) == field_type:
            # Our finer formats (integer, URL...) read as TextField: sending it back keeps them.
            attrs["field_format"] = current.field_format
        else:
            attrs["field_format"] = FIELD_TYPE_FORMAT[field_type]
        if mask:
            try:
                parsed = json.loads(mask)
            except ValueError:
                raise serializers.ValidationError({"mask": "The mask must be JSON."}) from None
            if field_type == FieldType.SELECT_BOX:
                if not isinstance(parsed, list) or not all(isinstance(c, str) for c in parsed):
                    raise serializers.ValidationError({"mask": "A select box's mask is a JSON array of choices."})
                attrs["choices"] = parsed
        elif field_type == FieldType.SELECT_BOX and (current is None or not current.is_list):
            raise serializers.ValidationError({"mask": "A select box needs its choices as a JSON array."})
        return attrs


class AuthenticationInputSerializer(serializers.Serializer):
    userName = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class ContactIdsSerializer(serializers.Serializer):
    contactid = serializers.ListField(child=IdField(), allow_empty=False)


class BulkIdsSerializer(serializers.Serializer):
    contactids = serializers.ListField(child=IdField(), allow_empty=False)


class PersonIdSerializer(serializers.Serializer):
    personid = IdField()


class ContactAccessManyInputSerializer(AccessInputSerializer):
    contactid = serializers.ListField(child=IdField(), allow_empty=False)


class ContactStatusInputSerializer(serializers.Serializer):
    contactStatusid = IdField()


class TagNameSerializer(serializers.Serializer):
    tagName = serializers.CharField(max_length=100)


class TagListInputSerializer(serializers.Serializer):
    entityid = serializers.ListField(child=IdField(), allow_empty=False)
    tagName = serializers.CharField(max_length=100)


class FieldValueSerializer(serializers.Serializer):
    fieldValue = serializers.CharField(allow_blank=True, required=False, default="")


class MergeInputSerializer(serializers.Serializer):
    fromcontactid = IdField()
    tocontactid = IdField()


class QuickPersonSerializer(serializers.Serializer):
    """One entry of `contact/person/quick`'s `data`: {key: first name, value: last name}."""

    key = serializers.CharField(
        source="first_name", max_length=255, error_messages={"required": "each entry needs a key (the first name)."}
    )
    value = serializers.CharField(
        source="last_name", max_length=255, error_messages={"required": "each entry needs a value (the last name)."}
    )


class QuickPersonsInputSerializer(serializers.Serializer):
    data = QuickPersonSerializer(many=True, allow_empty=False, max_length=MAX_QUICK)


class QuickCompaniesInputSerializer(serializers.Serializer):
    companyName = serializers.ListField(
        child=serializers.CharField(max_length=255), allow_empty=False, max_length=MAX_QUICK
    )


class FieldIdsSerializer(serializers.Serializer):
    fieldids = serializers.ListField(child=IdField(), allow_empty=False)


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField()
