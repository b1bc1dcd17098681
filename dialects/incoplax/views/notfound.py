"""Any other path under /rest/v1/addressbook/: 404 in the dialect's error format."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from rest_framework.request import Request

from dialects.incoplax.views import IncoplaxView


class NotFoundView(IncoplaxView):
    authentication_classes: ClassVar[list[Any]] = []
    permission_classes: ClassVar[list[Any]] = []
    http_method_names = [*IncoplaxView.http_method_names, "lookup"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
