"""HTML forms of the project pages: the project itself and its members.

The forms parse what a browser sends; `projects.services` applies the rules
(valid identifier, a project never left without a manager) and its
ValidationError dicts are put back on the fields they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from projects.models import Membership, Project
from projects.services import membership_set, project_create, project_update

User = get_user_model()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "identifier", "description", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"is_public": "Public"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Validation writes into self.instance; the service gets the stored project and the new values.
        self.stored = Project.objects.get(pk=self.instance.pk) if self.instance.pk else None

    def save_as(self, *, user: AbstractBaseUser) -> Project | None:
        """Create (the user becomes its manager) or change the project; None with errors on the form."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        try:
            if self.stored is None:
                return project_create(**data, creator=user)
            return project_update(project=self.stored, **data)
        except ValidationError as exc:
            self.add_error(None, exc)
        return None


class MemberAddForm(forms.Form):
    """Add a user to the project by username, or give a member a new role."""

    username = forms.CharField(max_length=150, label="Username")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(is_active=True, **{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise ValidationError(f"No active user is called {username}.")
        return user

    def save_to(self, project: Project) -> Membership | None:
        try:
            return membership_set(project=project, user=self.cleaned_data["username"], role=self.cleaned_data["role"])
        except ValidationError as exc:
            self.add_error(None, exc)
        return None


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class InviteForm(forms.Form):
    """Invite someone by email with a role."""

    email = forms.EmailField(max_length=254, help_text="Someone with an account is added at once; others get an email.")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
