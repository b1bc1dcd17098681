"""Projects and who belongs to them.

A project groups contacts; its members see its project-visible contacts. A
member's role decides what they may do: managers manage the project, members
add and edit contacts, viewers only read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

identifier_validator = RegexValidator(
    r"^[a-z][a-z0-9_-]{0,99}$",
    "Use lower-case letters, digits, '-' and '_', starting with a letter.",
)


class Project(models.Model):
    name = models.CharField(max_length=255)
    identifier = models.CharField(
        max_length=100,
        unique=True,
        validators=[identifier_validator],
        help_text="Short name used in URLs and APIs, e.g. 'support'.",
    )
    description = models.TextField(blank=True)
    is_public = models.BooleanField(default=False, help_text="Listed for every signed-in user.")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="crm_projects", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", args=[self.pk])

    def clean(self) -> None:
        # A numeric identifier would be ambiguous with the id in /projects/<id or identifier>/.
        if self.identifier and self.identifier.isdigit():
            raise ValidationError({"identifier": "Identifier cannot be only digits."})


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Member"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="unique_membership")]
        ordering = ["project", "user"]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"
