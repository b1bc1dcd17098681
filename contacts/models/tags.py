"""Tags and the link of a tag to a contact."""

from __future__ import annotations

from django.db import models
from taggit.models import TagBase, TaggedItemBase

from contacts.models.dictionaries import COLOR_HELP, HEX_COLOR_LENGTH


class Tag(TagBase):
    """A tag with a colour, shown as a chip."""

    color = models.CharField(max_length=HEX_COLOR_LENGTH, blank=True, help_text=COLOR_HELP)

    class Meta:
        ordering = ["name"]


class TaggedContact(TaggedItemBase):
    content_object = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_contacts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_contact_tag")]
