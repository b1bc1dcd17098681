"""Notes on contacts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from contacts.models.contacts import Contact

NOTE_FUTURE_SLACK = timedelta(minutes=1)


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
