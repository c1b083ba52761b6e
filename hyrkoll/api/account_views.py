"""The API's accounts: the signed-in user and the exchange of a password for a token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from hyrkoll.accounts.models import User
from hyrkoll.api import serializers as s
from hyrkoll.api.schema import ApiAutoSchema
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction


@extend_schema(tags=["accounts"])
class MeView(APIView):
    """The signed-in user: scope, region or supplier, and roles."""

    schema = ApiAutoSchema()

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        users = User.objects.visible_to(request.user).select_related("region", "supplier")
        user = users.get(pk=request.user.pk)
        return Response(s.MeSerializer(user).data)


class TokenRateThrottle(AnonRateThrottle):
    """Limits token requests per client address (the ``anon`` rate in settings)."""


@extend_schema(tags=["accounts"])
class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token.

    Authentication goes through django-axes, so repeated failures lock the account for this
    address just as on the login page.
    """

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]
    schema = ApiAutoSchema()

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        # Lets the browsable API render a form.
        return s.TokenRequestSerializer(*args, **kwargs)

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenResponseSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(description="Locked after too many failed attempts."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        # Axes flags the request it was given (the DRF request) when the account is locked.
        if getattr(request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed sign-in attempts. Try again later.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None:
            return Response(
                {"non_field_errors": [_("Unable to sign in with the given username and password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        with transaction.atomic():
            token, created = Token.objects.get_or_create(user=user)
            if created:
                audit.record(user, AuditAction.UPDATE, user, reason="API token created")
        # A successful sign-in: updates last_login and resets the failure count (AXES_RESET_ON_SUCCESS).
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": token.key})
