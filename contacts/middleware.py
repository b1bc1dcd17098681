"""Which channel a request's changes to contacts come through: `admin` under the admin site,
`web` for every other page. API dialects and the web form name their own inside (see
`contacts.history.history_channel`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from contacts.history import history_channel
from contacts.models import Channel


class HistoryChannelMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        try:
            return reverse("admin:index")
        except NoReverseMatch:
            return "/admin/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = Channel.ADMIN if request.path.startswith(self.admin_prefix) else Channel.WEB
        with history_channel(channel):
            return self.get_response(request)
