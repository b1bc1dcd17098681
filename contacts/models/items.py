"""The ways to reach a contact (items, with phone and URL normalisation) and postal addresses.

Items are modelled on vCard (RFC 6350) so every vendor's phone/email/messenger list maps onto
`ContactItem`.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django_countries.fields import CountryField
from phonenumbers import phonenumberutil as pnu


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

    contact = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="items")
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

    contact = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="addresses")
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
