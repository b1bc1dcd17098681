"""ONLYOFFICE's enums and code tables (the API's InfoType, categories, ShareType, FieldType,
currencies), and how each maps onto this CRM's contact items, addresses and custom fields.

The numbers and names are ONLYOFFICE's (docs/onlyoffice.md, "Contact information"); every table here is data,
read by `fields.py` (values out) and `inputs.py` (values in).
"""

from __future__ import annotations

from django.db.models import IntegerChoices

from contacts.models import Address, ContactItem, CustomField


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


class ContactListViewType(IntegerChoices):
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
