"""The domain core: contacts (persons and companies) and what hangs off them.

Persons and companies share one table (`Contact.is_company`) because three of
the four vendor APIs list both in one id space. Ways to reach a contact are
modelled on vCard (RFC 6350) so every vendor's phone/email/messenger list maps
onto `ContactItem`.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django_countries.fields import CountryField
from phonenumbers import phonenumberutil as pnu
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from projects.models import Project

COLOR_HELP = "A CSS colour such as #3b82f6."
HEX_COLOR_LENGTH = 7
# The range of `Contact.priority`: the integer column's range on every database we run on.
PRIORITY_MAX = 2**31 - 1
PRIORITY_MIN = -PRIORITY_MAX
BIRTHDAY_MIN = date(1900, 1, 1)
NOTE_FUTURE_SLACK = timedelta(minutes=1)


def validate_birthday(value: date) -> None:
    """A birthday is a day between 1 January 1900 and today."""
    if value < BIRTHDAY_MIN:
        raise ValidationError("Birthday cannot be before 1900.", code="min_value")
    if value > timezone.localdate():
        raise ValidationError("Birthday cannot be in the future.", code="max_value")


class Initial(models.Func):
    """The first character of a text, written with literals (`SUBSTR(x, 1, 1)`), so that a query's
    expression is the very one of the index built on it (a bound parameter would not match it)."""

    template = "SUBSTR(%(expressions)s, 1, 1)"
    output_field = models.CharField()


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    PROJECT = "project", "Project"
    PRIVATE = "private", "Private"


class ContactType(models.Model):
    """What a contact is to us: client, prospect, supplier..."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    color = models.CharField(max_length=HEX_COLOR_LENGTH, blank=True, help_text=COLOR_HELP)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ContactStage(models.Model):
    """Where a contact stands (cold, warm, hot...); ONLYOFFICE calls these statuses."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    color = models.CharField(max_length=HEX_COLOR_LENGTH, blank=True, help_text=COLOR_HELP)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(TagBase):
    """A tag with a colour, shown as a chip."""

    color = models.CharField(max_length=HEX_COLOR_LENGTH, blank=True, help_text=COLOR_HELP)

    class Meta:
        ordering = ["name"]


class TaggedContact(TaggedItemBase):
    content_object = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="tagged_items", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_contacts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_contact_tag")]


# A contact outside the trash: the condition of every read and of the read indexes.
LIVE = models.Q(deleted_at__isnull=True)


class Contact(models.Model):
    """A person or a company."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_company = models.BooleanField(default=False)
    # Persons
    salutation = models.CharField(max_length=30, blank=True, help_text="Mr, Ms, Dr...")
    first_name = models.CharField(max_length=255, blank=True)
    middle_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    # Companies
    name = models.CharField(max_length=255, blank=True, help_text="Company name.")
    registration_number = models.CharField(
        max_length=50, blank=True, help_text="The company's registration number (e.g. a French SIREN)."
    )
    vat_number = models.CharField(max_length=50, blank=True, help_text="The company's VAT number (e.g. FR12345678901).")
    # Both
    company = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        limit_choices_to={"is_company": True},
        help_text="The company a person works for.",
    )
    job_title = models.CharField(max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
    background = models.TextField(blank=True)
    industry = models.CharField(max_length=255, blank=True)
    birthday = models.DateField(null=True, blank=True, validators=[validate_birthday])
    contact_type = models.ForeignKey(ContactType, null=True, blank=True, on_delete=models.SET_NULL)
    stage = models.ForeignKey(ContactStage, null=True, blank=True, on_delete=models.SET_NULL)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code, e.g. EUR.")
    priority = models.IntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(PRIORITY_MIN), MaxValueValidator(PRIORITY_MAX)],
    )
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_contacts",
    )
    # A lead that a visitor posted through a web form has no author: it shows "Web form: <name>".
    source_webform = models.ForeignKey(
        "WebForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        help_text="The web form this contact was posted through.",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_contacts",
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    access_list = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_contacts",
        help_text="Users who may see this contact when it is private.",
    )
    projects = models.ManyToManyField(Project, blank=True, related_name="contacts")
    tags = TaggableManager(through=TaggedContact, blank=True)
    display_name = models.CharField(max_length=800, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # In the trash since then (None: a live contact); see contacts/services/trash.py.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trashed_contacts",
        editable=False,
    )

    class Meta:
        ordering = ["display_name", "id"]
        # The read indexes hold live contacts only (partial: `deleted_at IS NULL`, which every read
        # states through contact_visibility_q), so the trash costs reads nothing, however full.
        indexes = [
            models.Index(fields=["is_company", "display_name"], name="contact_kind_name_idx", condition=LIVE),
            # Visibility's own columns, so counting a user's contacts reads this index, not the rows.
            # `deleted_at` (null in every entry) makes it cover the trash test too, for SQLite.
            models.Index(
                fields=["visibility", "author", "assigned_to", "deleted_at"],
                name="contact_visibility_idx",
                condition=LIVE,
            ),
            # The default order with its tie-break and visibility's columns: a page's ids, even a
            # deep page's, come from this index alone (only non-public rows probe projects and shares).
            models.Index(
                fields=["display_name", "id", "visibility", "author", "assigned_to", "deleted_at"],
                name="contact_order_idx",
                condition=LIVE,
            ),
            # The trash page (newest first) and the purge of expired entries.
            models.Index(
                fields=["deleted_at", "id"], name="contact_trash_idx", condition=models.Q(deleted_at__isnull=False)
            ),
            # Duplicates by name: the same name at the same company (or two companies of one name),
            # and the same last name with the same first initial, grouped from these indexes alone.
            # The first also finds a company by its name in any case (web forms, Redmine's `company`
            # string, an import's Company cells) through its leading lower-cased name.
            models.Index(
                Lower("display_name"), "company", "is_company", name="contact_name_company_idx", condition=LIVE
            ),
            models.Index(
                Lower("last_name"),
                Lower(Initial("first_name")),
                name="contact_last_initial_idx",
                condition=LIVE & Q(is_company=False) & ~Q(last_name=""),
            ),
            # The list's date sorts, as contact_order_idx for names: a page's ids from the index alone.
            models.Index(
                fields=["updated_at", "id", "visibility", "author", "assigned_to", "deleted_at"],
                name="contact_updated_order_idx",
                condition=LIVE,
            ),
            models.Index(
                fields=["created_at", "id", "visibility", "author", "assigned_to", "deleted_at"],
                name="contact_created_order_idx",
                condition=LIVE,
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"Contact #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.currency = self.currency.upper()
        self.display_name = self.compute_display_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "display_name", "currency", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("contacts:contact-detail", args=[self.pk])

    def compute_display_name(self) -> str:
        if self.is_company:
            return self.name.strip()
        parts = (self.first_name, self.middle_name, self.last_name)
        return " ".join(p.strip() for p in parts if p and p.strip())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.is_company:
            if not self.name.strip():
                errors["name"] = "Name cannot be blank."
            if self.company_id is not None:
                errors["company"] = "A company cannot belong to another company."
        else:
            if not (self.first_name.strip() or self.last_name.strip()):
                errors["first_name"] = "First name cannot be blank."
            if self.company_id is not None:
                company = self.company
                if not company.is_company:
                    errors["company"] = "The company must be a company, not a person."
        if self.currency and (len(self.currency) != 3 or not self.currency.isalpha()):
            errors["currency"] = "Currency must be a three-letter ISO 4217 code."
        if errors:
            raise ValidationError(errors)

    @property
    def live_company(self) -> Contact | None:
        """The person's company, unless it is in the trash (its people keep the link meanwhile,
        so restoring the company brings it back everywhere)."""
        if self.company_id is None or self.company.deleted_at is not None:
            return None
        return self.company

    @property
    def company_name(self) -> str:
        company = self.live_company
        return company.display_name if company is not None else ""

    @property
    def purge_at(self) -> datetime | None:
        """When a contact in the trash is purged for good (settings.TRASH_DAYS after its deletion)."""
        if self.deleted_at is None:
            return None
        return self.deleted_at + timedelta(days=settings.TRASH_DAYS)

    @property
    def trash_days_left(self) -> int | None:
        """Days until the purge, the day under way counted (1 on its last day, 0 once due), or None
        for a live contact."""
        purge_at = self.purge_at
        if purge_at is None:
            return None
        return max(math.ceil((purge_at - timezone.now()).total_seconds() / 86400), 0)

    def items_of(self, kind: str) -> list[ContactItem]:
        """Items of one kind, in display order (works on prefetched items)."""
        return [item for item in self.items.all() if item.kind == kind]

    @property
    def phones(self) -> list[ContactItem]:
        return self.items_of(ContactItem.Kind.TEL)

    @property
    def emails(self) -> list[ContactItem]:
        return self.items_of(ContactItem.Kind.EMAIL)

    @property
    def primary_address(self) -> Address | None:
        addresses = list(self.addresses.all())
        for address in addresses:
            if address.is_primary:
                return address
        return addresses[0] if addresses else None


class TrashedContactManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=False)


class TrashedContact(Contact):
    """The contacts in the trash, as the admin lists them to restore or purge."""

    objects = TrashedContactManager()

    class Meta:
        proxy = True
        ordering = ["-deleted_at", "-id"]
        verbose_name = "contact in the trash"
        verbose_name_plural = "trash"


class ContactItem(models.Model):
    """One way to reach a contact, after vCard's TEL, EMAIL, URL and IMPP."""

    class Kind(models.TextChoices):
        TEL = "tel", "Phone"
        EMAIL = "email", "Email"
        URL = "url", "Website"
        SKYPE = "skype", "Skype"
        MESSENGER = "messenger", "Messenger"
        SOCIAL = "social", "Social network"

    class TelType(models.TextChoices):
        VOICE = "voice", "Voice"
        CELL = "cell", "Mobile"
        FAX = "fax", "Fax"
        PAGER = "pager", "Pager"

    class Context(models.TextChoices):
        WORK = "work", "Work"
        HOME = "home", "Home"
        OTHER = "other", "Other"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    tel_type = models.CharField(max_length=10, choices=TelType.choices, blank=True)
    context = models.CharField(max_length=10, choices=Context.choices, default=Context.WORK)
    service = models.CharField(
        max_length=30, blank=True, help_text="For messengers and social networks: icq, jabber, twitter..."
    )
    value = models.CharField(max_length=255)
    # Read with its kind (item_duplicate_idx below): no read asks for a normalized value of any kind.
    normalized = models.CharField(max_length=255, blank=True, editable=False)
    is_primary = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    # db_default: rows inserted without the column (bulk loads in raw SQL) get no slot.
    slot = models.CharField(
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text="The named place an API with fixed fields keeps the item in (Incoplax: number, mobile2...).",
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["kind", "value"], name="item_kind_value_idx"),
            # Duplicate checks by email or phone (the web form's known-email rule), and the duplicates
            # page, which groups items by value and counts their contacts from this index alone.
            models.Index(fields=["kind", "normalized", "contact"], name="item_duplicate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        self.value = (self.value or "").strip()
        if not self.value:
            raise ValidationError({"value": "Value cannot be blank."})
        if self.kind == self.Kind.TEL:
            if not self.tel_type:
                self.tel_type = self.TelType.VOICE
            # The number is kept as written; its normalized form serves search and duplicates.
            self.normalized = normalize_phone(self.value)
        else:
            self.tel_type = ""
            if self.kind == self.Kind.EMAIL:
                try:
                    EmailValidator()(self.value)
                except ValidationError:
                    raise ValidationError({"value": f"{self.value} is not a valid email address."}) from None
                self.normalized = self.value.lower()
            elif self.kind == self.Kind.URL:
                # "ivanov.com" is a web address too: stored as written, linked with https://.
                try:
                    URLValidator(schemes=["http", "https"])(with_scheme(self.value))
                except ValidationError:
                    raise ValidationError({"value": f"{self.value} is not a valid web address."}) from None
                self.normalized = self.value.lower()
            else:
                self.normalized = self.value.lower()

    @property
    def href(self) -> str:
        """A link for the item: tel:, mailto: or the URL itself (https:// added when written without)."""
        if self.kind == self.Kind.TEL:
            return f"tel:{self.normalized or self.value}"
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.URL:
            return with_scheme(self.value)
        if self.kind == self.Kind.SKYPE:
            return f"skype:{self.value}?call"
        return ""


URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def with_scheme(value: str) -> str:
    """A web address as a link: as written when it names its scheme, else with https://."""
    return value if URL_SCHEME.match(value) else f"https://{value}"


# Text of ASCII digits and the usual separators, with at most a leading plus: what most files hold.
PLAIN_PHONE = re.compile(r"\+?[0-9 ().-]+")
NOT_DIGIT = re.compile(r"[^0-9]")
_TOO_SHORT_RESULTS = (pnu.ValidationResult.TOO_SHORT, pnu.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                      pnu.ValidationResult.INVALID_LENGTH)  # fmt: skip


def phone_parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    """`phonenumbers.parse(text, region)`, the same number or the same NumberParseException, in a
    fraction of the time for plain text (PLAIN_PHONE, three digits or more).

    For such text, parse's first steps (finding the number in free text, RFC 3966 parameters,
    extensions, letters, Unicode digits) leave exactly its ASCII digits, with the plus if there is
    one: the rest of parse runs here from those digits, through phonenumbers' own helpers
    (country code, national prefix, possible lengths). Any other text goes to parse itself.
    """
    if not (PLAIN_PHONE.fullmatch(text) and pnu._is_valid_region_code(region)):
        return phonenumbers.parse(text, region)
    digits = NOT_DIGIT.sub("", text)
    metadata = pnu.PhoneMetadata.metadata_for_region(region, None)
    if len(digits) < 3 or metadata is None:
        return phonenumbers.parse(text, region)
    number = phonenumbers.PhoneNumber()
    country_code, national = 0, ""
    if text[0] == "+":
        country_code, national = pnu._extract_country_code(digits)
        number.country_code = country_code
    if not country_code:  # no plus, or a plus before no known code: parse reads the digits as dialled
        country_code, national = pnu._maybe_extract_country_code(digits, metadata, False, number)
        if text[0] == "+" and not country_code:
            raise pnu.NumberParseException(
                pnu.NumberParseException.INVALID_COUNTRY_CODE, "Could not interpret numbers after plus-sign."
            )
    if country_code:
        number_region = pnu.region_code_for_country_code(country_code)
        if number_region != region:
            metadata = pnu.PhoneMetadata.metadata_for_region_or_calling_code(country_code, number_region)
    else:
        national = digits
        country_code = number.country_code = metadata.country_code
    if len(national) < pnu._MIN_LENGTH_FOR_NSN:
        raise pnu.NumberParseException(pnu.NumberParseException.TOO_SHORT_NSN, "Too short to be a phone number.")
    _, stripped, _ = pnu._maybe_strip_national_prefix_carrier_code(national, metadata)
    if pnu._test_number_length(stripped, metadata) not in _TOO_SHORT_RESULTS:
        national = stripped
    if len(national) < pnu._MIN_LENGTH_FOR_NSN:
        raise pnu.NumberParseException(pnu.NumberParseException.TOO_SHORT_NSN, "Too short to be a phone number.")
    if len(national) > pnu._MAX_LENGTH_FOR_NSN:
        raise pnu.NumberParseException(pnu.NumberParseException.TOO_LONG, "Too long to be a phone number.")
    pnu._set_italian_leading_zeros_for_phone_number(national, number)
    number.national_number = int(national)
    return number


def normalize_phone(value: str, *, region: str | None = None) -> str:
    """The form of a phone number used for search and duplicate checks.

    E.164 when phonenumbers reads a possible number (without a +country prefix, in
    settings.PHONE_DEFAULT_REGION; a leading 00 is the international prefix), otherwise the
    digits as written: short extensions (`411`) and local numbers are phone numbers too. Only
    text without any digit is refused. `region` stands for the setting (a bulk caller reads it once).
    """
    if value.isascii():
        digits = NOT_DIGIT.sub("", value)
    else:
        digits = "".join(str(unicodedata.decimal(c)) for c in value if unicodedata.decimal(c, None) is not None)
    if not digits:
        raise ValidationError({"value": f"{value} is not a valid phone number."})
    region = region or getattr(settings, "PHONE_DEFAULT_REGION", "US")
    candidates = [value]
    if value.lstrip().startswith("00"):
        candidates.insert(0, "+" + value.lstrip()[2:])
    for candidate in candidates:
        try:
            number = phone_parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return digits


class Address(models.Model):
    class Context(models.TextChoices):
        HOME = "home", "Home"
        WORK = "work", "Work"
        POSTAL = "postal", "Postal"
        BILLING = "billing", "Billing"
        DELIVERY = "delivery", "Delivery"
        OTHER = "other", "Other"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    street1 = models.CharField(max_length=255, blank=True)
    street2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=255, blank=True)
    region = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=30, blank=True)
    country = CountryField(blank=True)
    context = models.CharField(max_length=10, choices=Context.choices, default=Context.WORK)
    is_primary = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.full_address or "(empty address)"

    ADDRESS_FIELDS = ("street1", "street2", "city", "region", "postcode", "country")

    def clean(self) -> None:
        if self.is_empty:
            raise ValidationError("An address needs at least one line.")

    @property
    def is_empty(self) -> bool:
        return not any(str(getattr(self, f) or "").strip() for f in self.ADDRESS_FIELDS)

    @property
    def street(self) -> str:
        return ", ".join(p for p in (self.street1, self.street2) if p)

    @property
    def full_address(self) -> str:
        parts = (self.street1, self.street2, self.city, self.postcode, self.region, self.country_name)
        return ", ".join(p for p in parts if p)

    @property
    def country_name(self) -> str:
        return str(self.country.name) if self.country else ""


class CustomField(models.Model):
    """A field an administrator adds to contacts, typed by its format."""

    class Format(models.TextChoices):
        STRING = "string", "Text (one line)"
        TEXT = "text", "Long text"
        INTEGER = "integer", "Integer"
        DECIMAL = "decimal", "Decimal"
        DATE = "date", "Date"
        BOOLEAN = "boolean", "Yes/no"
        LIST = "list", "List (one choice)"
        MULTI_LIST = "multi-list", "List (several choices)"
        URL = "url", "Web address"
        EMAIL = "email", "Email"
        HEADING = "heading", "Heading (no value)"

    class AppliesTo(models.TextChoices):
        PERSONS = "persons", "Persons"
        COMPANIES = "companies", "Companies"
        BOTH = "both", "Persons and companies"

    name = models.CharField(max_length=255)
    field_format = models.CharField(max_length=12, choices=Format.choices, default=Format.STRING)
    choices = models.JSONField(default=list, blank=True, help_text="The choices of a list field.")
    is_required = models.BooleanField(default=False)
    default = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    # The formats as plain text: these are asked of every value a list shows, and reading a
    # member through the enumeration costs several times the comparison.
    @property
    def is_list(self) -> bool:
        return self.field_format in _LIST_FORMATS

    @property
    def is_multiple(self) -> bool:
        return self.field_format == _MULTI_LIST

    def clean(self) -> None:
        if not isinstance(self.choices, list) or not all(isinstance(c, str) for c in self.choices):
            raise ValidationError({"choices": "Choices must be a list of strings."})
        if self.is_list and not self.choices:
            raise ValidationError({"choices": "A list field needs at least one choice."})
        if self.default:
            try:
                self.to_storage(self.default)
            except ValidationError as exc:
                raise ValidationError({"default": exc.messages}) from None

    def applies_to_contact(self, contact: Contact) -> bool:
        if self.applies_to == self.AppliesTo.BOTH:
            return True
        return (self.applies_to == self.AppliesTo.COMPANIES) == contact.is_company

    def to_storage(self, raw: Any) -> str:
        """Validate a value of this field and return its canonical stored text.

        An empty value is stored as "". Raises ValidationError naming the field.
        """
        fmt = self.field_format
        if fmt == self.Format.HEADING:
            return ""
        if fmt == self.Format.MULTI_LIST:
            values = _as_list(raw)
            bad = [v for v in values if v not in self.choices]
            if bad:
                raise ValidationError(f"{self.name}: {', '.join(bad)} is not one of the choices.")
            return json.dumps(values) if values else ""
        if isinstance(raw, (list, tuple)):
            raise ValidationError(f"{self.name} takes one value, not a list.")
        text = "" if raw is None else str(raw).strip()
        if isinstance(raw, bool):
            text = "1" if raw else "0"
        if text == "":
            return ""
        if fmt in (self.Format.STRING, self.Format.TEXT):
            if fmt == self.Format.STRING and len(text) > 255:
                raise ValidationError(f"{self.name} is too long (255 characters at most).")
            return text
        if fmt == self.Format.INTEGER:
            try:
                return str(int(text))
            except ValueError:
                raise ValidationError(f"{self.name} must be a whole number.") from None
        if fmt == self.Format.DECIMAL:
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValidationError(f"{self.name} must be a number.") from None
            if not number.is_finite():
                raise ValidationError(f"{self.name} must be a number.")
            return str(number)
        if fmt == self.Format.DATE:
            try:
                parsed = parse_date(text)
            except ValueError:
                parsed = None
            if parsed is None:
                raise ValidationError(f"{self.name} must be a date (YYYY-MM-DD).")
            return parsed.isoformat()
        if fmt == self.Format.BOOLEAN:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return "1"
            if lowered in ("0", "false", "no", "off"):
                return "0"
            raise ValidationError(f"{self.name} must be yes or no.")
        if fmt == self.Format.LIST:
            if text not in self.choices:
                raise ValidationError(f"{self.name}: {text} is not one of the choices.")
            return text
        if fmt == self.Format.URL:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                raise ValidationError(f"{self.name} must be a web address.") from None
            return text
        if fmt == self.Format.EMAIL:
            try:
                EmailValidator()(text)
            except ValidationError:
                raise ValidationError(f"{self.name} must be an email address.") from None
            return text
        raise ValidationError(f"{self.name} has an unknown format.")

    def from_storage(self, stored: str) -> Any:
        """The typed value of stored text: int, Decimal, date, bool, list or str (None when empty)."""
        if stored == "":
            return [] if self.is_multiple else None
        fmt = self.field_format
        if fmt == self.Format.INTEGER:
            return int(stored)
        if fmt == self.Format.DECIMAL:
            return Decimal(stored)
        if fmt == self.Format.DATE:
            return date.fromisoformat(stored)
        if fmt == self.Format.BOOLEAN:
            return stored == "1"
        if fmt == self.Format.MULTI_LIST:
            return json.loads(stored)
        return stored


def _as_list(raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        stripped = raw.strip()
        if stripped.startswith("["):
            try:
                loaded = json.loads(stripped)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return [str(v).strip() for v in loaded if str(v).strip()]
        return [part.strip() for part in stripped.split(",") if part.strip()]
    if isinstance(raw, (list, tuple)):
        return [str(v).strip() for v in raw if v is not None and str(v).strip()]
    return [str(raw).strip()]


_LIST_FORMATS = frozenset({CustomField.Format.LIST.value, CustomField.Format.MULTI_LIST.value})
_MULTI_LIST = CustomField.Format.MULTI_LIST.value


class CustomValue(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="custom_values", db_index=False)
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "field"], name="unique_custom_value")]
        ordering = ["field__position", "field_id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"

    @property
    def typed_value(self) -> Any:
        return self.field.from_storage(self.value)

    @property
    def display_value(self) -> str:
        typed = self.typed_value
        if isinstance(typed, bool):
            return "Yes" if typed else "No"
        if isinstance(typed, list):
            return ", ".join(typed)
        return "" if typed is None else str(typed)


class Note(models.Model):
    """A dated entry on a contact's timeline."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    subject = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_notes"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.content[:50]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.content or "").strip():
            errors["content"] = "Content cannot be blank."
        # A note may be backdated; a minute ahead is allowed for clocks that differ a little.
        if self.created_at and self.created_at > timezone.now() + NOTE_FUTURE_SLACK:
            errors["created_at"] = "A note cannot be dated in the future."
        if errors:
            raise ValidationError(errors)


def new_key() -> str:
    return secrets.token_hex(20)


class ApiKey(models.Model):
    """A user's secret for the REST APIs (every dialect accepts it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_key")
    key = models.CharField(max_length=40, unique=True, default=new_key)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"API key of {self.user}"


# A web origin as browsers send it in the Origin header: scheme, host and optional port, nothing else.
ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?", re.IGNORECASE)
DEFAULT_THANKS_TEXT = "Thank you! We have your message and will be in touch soon."


class WebForm(models.Model):
    """A project's public intake form, posted from other sites.

    It has its own create-only key: a user's API key is never put in a page.
    """

    DEFAULT_FIELDS = ["first_name", "last_name", "company", "phone", "email"]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="web_forms")
    name = models.CharField(max_length=255)
    key = models.CharField(max_length=40, unique=True, default=new_key)
    allowed_fields = models.JSONField(default=list, blank=True, help_text="Contact fields the form may set.")
    custom_fields = models.ManyToManyField(CustomField, blank=True, help_text="Custom fields shown on the form.")
    tags = models.CharField(max_length=255, blank=True, help_text="Comma-separated tags given to every lead.")
    redirect_url = models.URLField(blank=True, help_text="Where the visitor goes after a successful post.")
    allowed_hosts = models.JSONField(
        default=list, blank=True, help_text="Hosts a redirect_on_success may point to (besides redirect_url's)."
    )
    honeypot_field = models.CharField(
        max_length=50, default="website_url", help_text="A hidden field people leave empty and bots fill in."
    )
    rate_limit_per_hour = models.PositiveIntegerField(default=20, help_text="Posts accepted per IP per hour.")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="web_forms"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    thanks_text = models.TextField(
        blank=True,
        default=DEFAULT_THANKS_TEXT,
        help_text="Shown to the visitor after a post (when there is no thank-you page to go to).",
    )
    errors_back = models.BooleanField(
        default=False,
        help_text="On errors, send the visitor back to the page of the form (with the errors in its address) "
        "instead of showing a page of this CRM.",
    )
    use_script = models.BooleanField(
        default=False,
        help_text="The snippet loads a small script that posts without leaving the page and shows errors "
        "and thanks in place (its page's origin must be one of the allowed origins).",
    )
    allowed_origins = models.JSONField(
        default=list,
        blank=True,
        help_text="Origins (such as https://shop.example) whose pages may post with the script (CORS); "
        "none: no cross-origin script may read the answers.",
    )
    notify_managers = models.BooleanField(default=False, help_text="Email the project's managers about every new lead.")

    class Meta:
        ordering = ["project", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.project})"

    def clean(self) -> None:
        unknown = set(self.allowed_fields or []) - set(WEBFORM_FIELDS)
        if unknown:
            raise ValidationError({"allowed_fields": f"Unknown fields: {', '.join(sorted(unknown))}."})
        if not {"first_name", "last_name"} & set(self.fields):
            raise ValidationError({"allowed_fields": "A form needs the first name or the last name field."})
        origins = self.allowed_origins
        if not isinstance(origins, list):
            raise ValidationError({"allowed_origins": "A list of origins such as https://shop.example."})
        bad = [str(origin) for origin in origins if not (isinstance(origin, str) and ORIGIN.fullmatch(origin))]
        if bad:
            raise ValidationError(
                {"allowed_origins": f"Not an origin (scheme://host[:port], no path): {', '.join(bad)}."}
            )

    @property
    def fields(self) -> list[str]:
        return list(self.allowed_fields or self.DEFAULT_FIELDS)


# The contact fields a web form may set, in the seed form's names.
WEBFORM_FIELDS = [
    "first_name",
    "last_name",
    "middle_name",
    "company",
    "job_title",
    "phone",
    "email",
    "website",
    "background",
    "tag_list",
]


class Job(models.Model):
    """A piece of long work (an import, a large export, a bulk action) run by a task worker.

    The task updates `done`/`total` as it goes, so the job page can show progress, and leaves a
    summary in `result` and, where there is one, a file to download.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"
        BULK = "bulk", "Bulk action"
        PURGE = "purge", "Trash purge"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """How far along, 0–100, or None while the amount of work is not known."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class Channel(models.TextChoices):
    """Where a change came in: the UI, the admin, a dialect, the web form, or work of the CRM's own."""

    WEB = "web", "Web"
    ADMIN = "admin", "Admin"
    WEBFORM = "webform", "Web form"
    IMPORT = "import", "Import"
    MERGE = "merge", "Merge"
    SYSTEM = "system", "System"
    REDMINE = "redmine", "Redmine API"
    ONLYOFFICE = "onlyoffice", "ONLYOFFICE API"
    INCWO = "incwo", "incwo API"
    INCOPLAX = "incoplax", "Incoplax API"


class ChangeAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Moved to the trash"
    RESTORED = "restored", "Restored"
    MERGED = "merged", "Merged"
    IMPORTED = "imported", "Imported"


class ContactChange(models.Model):
    """One entry of a contact's history: who changed what, when, and through which channel.

    `changes` maps a field's label to its old and new values as display strings.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_changes"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.SYSTEM)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "-at"], name="contactchange_contact_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.contact_id} ({self.channel})"


class MergeRecord(models.Model):
    """Contacts merged into a survivor, with what undoing the merge needs.

    `before` holds the survivor's values the merge changed (fields by name, custom values as
    `cf_<field id>`); `moved` the ids of the rows that moved to the survivor, by kind, with where
    each came from. The merged-away contacts themselves wait in the trash (see
    contacts/services/merge.py). Contacts are named by id, not by foreign key, so deleting a
    contact anywhere in the CRM costs no look-up in this table.
    """

    survivor_id = models.BigIntegerField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_ids = models.JSONField(default=list)
    merged_names = models.JSONField(default=list)
    before = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{', '.join(self.merged_names)} into #{self.survivor_id}"


class DuplicateDismissal(models.Model):
    """Two contacts (by id, the lower first) someone said are not duplicates: the pair stops showing
    among the duplicates. By id, not by foreign key, as MergeRecord: a deleted contact's pairs are
    never listed again anyway."""

    first_id = models.BigIntegerField()
    second_id = models.BigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first_id", "second_id"], name="unique_duplicate_dismissal"),
            models.CheckConstraint(condition=Q(first_id__lt=F("second_id")), name="duplicate_dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} and #{self.second_id} are not duplicates"


class DuplicateScan(models.Model):
    """One run of the duplicate rules over every live contact (contacts.duplicates): the groups of
    contact ids each rule found. The duplicates page reads the latest finished scan, so its cost does
    not grow with the number of contacts; a scan runs as a background task when the page finds the
    latest one older than the newest change (see `duplicate_scan_stale`)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The newest item when the scan began: a later item (a phone added in bulk, say) makes it stale.
    last_item_id = models.BigIntegerField(default=0)
    # {"email": [[3, 17], ...], "phone": [...], "name_company": [...], "similar_name": [...]}
    groups = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["finished_at", "id"], name="duplicatescan_finished_idx")]

    def __str__(self) -> str:
        return f"Duplicate scan of {self.started_at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A named filter and sort of the contacts list, kept as the list's query string.

    Personal (no project: only its owner sees it) or shared with a project (every member of the
    project sees it). Its owner and the project's managers rename and delete it.
    """

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Share the view with this project's members; empty keeps it personal.",
    )
    query = models.TextField(blank=True, help_text="The contacts list's query string: filters and sort.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("contacts:contact-list")
        return f"{url}?{self.query}&view={self.pk}" if self.query else f"{url}?view={self.pk}"
