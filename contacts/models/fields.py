"""Custom fields, defined by staff for contacts or companies, and their values on each contact."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils.dateparse import parse_date

from contacts.models.contacts import Contact


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
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="custom_values")
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
