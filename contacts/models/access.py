"""The ways in from outside the UI: API keys and web forms."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from contacts.models.fields import CustomField
from projects.models import Project


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
