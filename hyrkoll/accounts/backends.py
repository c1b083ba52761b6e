"""Signing in with a password, and model permissions that follow from Hyrkoll roles (the admin).

``UserModelBackend`` is Django's ``ModelBackend`` loading the signed-in user with their region and
supplier: every page's header names it (``User.owner_label``), which was a query of its own on each
page. Sessions begun under ``ModelBackend`` (before this backend) sign in again once.

A national coordinator maintains the agreement register and reference data in the admin, so
the role grants the Django model permissions of those apps; nobody has to keep group
permissions in step with roles by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend

from hyrkoll.accounts.models import Role, User

COORDINATOR_APPS = frozenset({"agreement", "organisation"})


class UserModelBackend(ModelBackend):
    """``ModelBackend`` with the user's region and supplier in the same query."""

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("region", "supplier").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class RolePermissionBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not (user_obj.is_active and getattr(user_obj, "is_authenticated", False)):
            return False
        app_label = perm.split(".", 1)[0]
        if app_label in COORDINATOR_APPS:
            return user_obj.has_role(Role.COORDINATOR)
        if perm == "audit.view_auditevent":
            return user_obj.has_role(Role.COORDINATOR)
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not (user_obj.is_active and getattr(user_obj, "is_authenticated", False)):
            return False
        return app_label in COORDINATOR_APPS | {"audit"} and user_obj.has_role(Role.COORDINATOR)
