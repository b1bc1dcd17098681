"""The account page (API key, password) and the answer to a sign-in refused after repeated failures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from contacts.services import (
    apikey_get_or_create,
    apikey_reset,
)


@login_required
def apikey_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/apikey_detail.html", {"api_key": apikey_get_or_create(user=request.user)})


@login_required
@require_POST
def apikey_reset_view(request: HttpRequest) -> HttpResponse:
    apikey_reset(user=request.user)
    messages.success(request, "Your API key was reset. Scripts using the old key must be updated.")
    return redirect("accounts:apikey-detail")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change (old password, new one twice, validators), back to the account page."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:apikey-detail")
    success_message = "Your password was changed."


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a sign-in refused because of repeated failures (UI and admin).

    An API view has already answered in its dialect's own format (a 429): that answer is kept.
    """
    if original_response is not None and original_response.status_code == 429:
        return original_response
    seconds = lockout_seconds()
    response = render(request, "registration/locked_out.html", {"minutes": -(-seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_seconds() -> int:
    """How long a locked-out account or address waits before it may try a password again."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())
