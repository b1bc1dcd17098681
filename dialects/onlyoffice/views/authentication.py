"""POST authentication: a token for a user name and password."""

from __future__ import annotations

from typing import ClassVar

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from dialects.authentication import password_user
from dialects.onlyoffice import renderers
from dialects.onlyoffice.authentication import AuthenticationThrottle, OnlyofficeTokenAuthentication
from dialects.onlyoffice.fields import api_datetime
from dialects.onlyoffice.inputs import (
    AuthenticationInputSerializer,
)
from dialects.onlyoffice.views.base import (
    OnlyofficeView,
)


class AuthenticationView(OnlyofficeView):
    """POST authentication: userName and password → a token and when it expires."""

    authentication_classes: ClassVar[list] = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthenticationThrottle]
    xml_shape = renderers.TOKEN_XML

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(AuthenticationInputSerializer)
        user = password_user(request, username=data["userName"], password=data["password"])
        if user is None:
            raise AuthenticationFailed("User authentication failed.")
        token, expires = OnlyofficeTokenAuthentication.issue(user=user)
        return Response({"token": token, "expires": api_datetime(expires)}, status=201)
