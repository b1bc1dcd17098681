"""Tags: those of a contact, counted over the contacts a user sees, by name, slug or prefix, and
their flat rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower

from contacts.models import (
    Contact,
    Tag,
    TaggedContact,
)
from contacts.selectors.visibility import AnyUser, contact_list, contact_visibility_q
from crm.ids import parse_id


def contact_tags(contact: Contact) -> list[Tag]:
    """The tags of a contact from its prefetched tagged items (no extra query)."""
    return sorted((ti.tag for ti in contact.tagged_items.all()), key=lambda t: t.name.lower())


def tag_counts(*, user: AnyUser) -> QuerySet[Tag]:
    """Tags used on contacts the user can see, with how many such contacts carry each.

    Every visible contact's tags are counted, so this reads them all; measured, joining the tags
    to the list of visible ids is cheaper here than a correlated check per tagged row.
    """
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    return (
        Tag.objects.filter(tagged_contacts__content_object_id__in=visible)
        .annotate(count=Count("tagged_contacts"))
        .order_by("name")
    )


def tag_dictionary(*, user: AnyUser) -> QuerySet[Tag]:
    """Every tag with how many contacts the user can see carry it (`count`), by name.

    Tags carried only by contacts the user cannot see are left out; tags nobody uses stay in,
    with a count of 0, so a tag added to the dictionary before use can be listed.
    """
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    return (
        Tag.objects.annotate(
            count=Count("tagged_contacts", filter=Q(tagged_contacts__content_object_id__in=visible)),
            uses=Count("tagged_contacts"),
        )
        .filter(Q(count__gt=0) | Q(uses=0))
        .order_by(Lower("name"), "pk")
    )


def tag_can_manage(*, user: AnyUser) -> bool:
    """Tags are shared by the whole CRM, so renaming and merging them is for staff."""
    return user.is_authenticated and user.is_staff


def tag_names(*, user: AnyUser, prefix: str = "", limit: int = 10) -> list[str]:
    """Names of the tags on contacts the user may see, for autocompletion."""
    tags = tag_counts(user=user)
    if prefix:
        tags = tags.filter(name__istartswith=prefix)
    return [tag.name for tag in tags[:limit]]


def tag_get(*, pk: Any = None, slug: str | None = None, name: str | None = None) -> Tag | None:
    """The tag with this id, this slug or this name (ignoring case), or None (tags are shared
    by the whole CRM)."""
    if name is not None:
        return None if "\x00" in name else Tag.objects.filter(name__iexact=name.strip()).first()
    if pk is not None:
        pk = parse_id(pk)
        return None if pk is None else Tag.objects.filter(pk=pk).first()
    return Tag.objects.filter(slug=slug).first() if slug else None


def tags_by_slug(*, slugs: Iterable[str]) -> dict[str, Tag]:
    """The tags of these slugs, by slug; unknown slugs are left out."""
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=[str(s) for s in slugs])}


def tag_member_contacts(*, user: AnyUser, tag: Tag) -> list[Contact]:
    """The visible contacts carrying the tag, by id."""
    tagged = TaggedContact.objects.filter(tag=tag).values("content_object_id")
    return list(contact_list(user=user, prefetch=False).filter(pk__in=tagged).order_by("pk"))


def tag_list_matching(
    *, fields: Mapping[str, Sequence[Any]] | None = None, order_by: Sequence[str] = ("pk",)
) -> QuerySet[Tag]:
    """Tags whose fields (`pk`, `slug`, `name`) take one of the values given, ordered."""
    qs = Tag.objects.all()
    for name, values in (fields or {}).items():
        qs = qs.filter(**{f"{name}__in": list(values)})
    return qs.order_by(*order_by)


def tag_rows(
    *, user: AnyUser, tags: QuerySet[Tag], offset: int = 0, limit: int | None = None, members: bool = True
) -> list[dict[str, Any]]:
    """A page of tags as dicts (`pk`, `slug`, `name`, `members`: the ids of the visible contacts
    carrying each, ascending, when `members`), in two queries whatever the page's size."""
    end = None if limit is None else offset + limit
    rows = list(tags.values("pk", "slug", "name")[offset:end])
    by_pk = {row["pk"]: row for row in rows}
    for row in rows:
        row["members"] = []
    if rows and members:
        visible = contact_list(user=user, prefetch=False).order_by().values("pk")
        tagged = TaggedContact.objects.filter(tag_id__in=list(by_pk), content_object_id__in=visible)
        for tag_id, contact_id in tagged.order_by("content_object_id").values_list("tag_id", "content_object_id"):
            by_pk[tag_id]["members"].append(contact_id)
    return rows
