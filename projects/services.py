"""Writes of projects and memberships.

A project that has a manager always keeps one: the last manager can be neither
removed nor given another role, so someone can always manage its members.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from projects.models import Membership, Project

LAST_MANAGER = "A project needs at least one manager: make someone else manager first."
User = get_user_model()


@transaction.atomic
def project_create(
    *,
    name: str,
    identifier: str,
    description: str = "",
    is_public: bool = False,
    creator: AbstractBaseUser | None = None,
) -> Project:
    """Create a project; its creator becomes its first manager."""
    project = Project(name=name, identifier=identifier, description=description, is_public=is_public)
    project.full_clean()
    project.save()
    if creator is not None:
        membership_set(project=project, user=creator, role=Membership.Role.MANAGER)
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: object) -> Project:
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


def _require_other_manager(*, project: Project, user: AbstractBaseUser) -> None:
    """Refuse to take the manager role from the project's last manager (rows locked until commit)."""
    managers = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Membership.Role.MANAGER)
        .values_list("user_id", flat=True)
    )
    if managers == [user.pk]:
        raise ValidationError({"role": LAST_MANAGER})


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add the user to the project with the role, or change their role."""
    membership = Membership.objects.filter(project=project, user=user).first() or Membership(project=project, user=user)
    if membership.pk and membership.role == Membership.Role.MANAGER and role != Membership.Role.MANAGER:
        _require_other_manager(project=project, user=user)
    membership.role = role
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user: AbstractBaseUser) -> None:
    """Take the user out of the project (never its last manager)."""
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        return
    if membership.role == Membership.Role.MANAGER:
        _require_other_manager(project=project, user=user)
    membership.delete()


@dataclass(frozen=True)
class Invitation:
    """What inviting someone by email did: their membership, and whether an account was made for them."""

    membership: Membership
    created: bool


def invitation_link(*, user: AbstractBaseUser, base_url: str) -> str:
    """The one-time link where an invited person chooses their password (Django's reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("projects:invitation-accept", args=[uid, token])


def project_invite(
    *, project: Project, email: str, role: str, invited_by: AbstractBaseUser, base_url: str
) -> Invitation:
    """Invite someone to the project by email.

    An active account with that email becomes a member with the role. An unknown email gets an
    account (its email as user name, inactive, with no usable password) and an invitation email
    with a link to choose a password, which activates it; a pending invitee invited again gets
    the role and a fresh email. `base_url` is the site's address the links start with.
    """
    email = User.objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    with transaction.atomic():
        users = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
        if len(users) > 1:
            raise ValidationError({"email": "Several accounts use this email: add the member by user name."})
        created = not users
        if created:
            if User.objects.filter(**{User.USERNAME_FIELD: email}).exists():
                raise ValidationError({"email": "An account already has this email as its user name."})
            user = User(**{User.USERNAME_FIELD: email}, email=email, is_active=False)
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
        else:
            user = users[0]
            if not user.is_active and user.has_usable_password():
                raise ValidationError({"email": "The account with this email is deactivated."})
        membership = membership_set(project=project, user=user, role=role)
    if created or not user.is_active:
        context = {
            "project": project,
            "invited_by": invited_by,
            "role": membership.get_role_display().lower(),
            "link": invitation_link(user=user, base_url=base_url),
        }
        send_mail(
            subject=f"You are invited to {project.name}",
            message=render_to_string("projects/invitation_email.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    return Invitation(membership=membership, created=created)


def invitation_accept(*, user: AbstractBaseUser) -> None:
    """An invited person chose their password: their account becomes active."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
