"""The dictionaries of contacts: their types and stages."""

from __future__ import annotations

from django.db import models

COLOR_HELP = "A CSS colour such as #3b82f6."


HEX_COLOR_LENGTH = 7


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
