"""A firm is a company contact; the proxy gives it its own admin and pages."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from contacts.models import Contact


class FirmManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(is_company=True)


class Firm(Contact):
    objects = FirmManager()

    class Meta:
        proxy = True
        ordering = ["display_name", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        self.is_company = True
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("firms:firm-detail", args=[self.pk])
