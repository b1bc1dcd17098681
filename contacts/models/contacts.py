"""Contacts, persons and companies in one table, and the trash's view of them.

Persons and companies share one table (`Contact.is_company`) because three of
the four vendor APIs list both in one id space.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from contacts.models.dictionaries import ContactStage, ContactType
from contacts.models.items import Address, ContactItem
from contacts.models.tags import TaggedContact
from projects.models import Project

# The range of `Contact.priority`: the integer column's range on every database we run on.
PRIORITY_MAX = 2**31 - 1


PRIORITY_MIN = -PRIORITY_MAX


BIRTHDAY_MIN = date(1900, 1, 1)


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
    display_name = models.CharField(max_length=800, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
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
