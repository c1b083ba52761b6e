from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import ROLES_BY_SCOPE, Role, RoleAssignment, Scope, User
from hyrkoll.agreement.models import Supplier
from hyrkoll.core.forms import UserModelForm
from hyrkoll.organisation.models import OrgUnit, Region


class UserCreateForm(BaseUserCreationForm):
    """New local account. A region administrator creates users of their own region only."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "title", "scope", "region", "supplier"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        if user is not None and not user.is_coordinator:
            for name in ("scope", "region", "supplier"):
                del self.fields[name]
        else:
            self.fields["region"].queryset = Region.objects.all()
            self.fields["supplier"].queryset = Supplier.objects.all()

    def _post_clean(self) -> None:
        if "scope" not in self.fields and self.user is not None:
            self.instance.scope = Scope.REGION
            self.instance.region_id = self.user.region_id
        super()._post_clean()


class UserUpdateForm(UserModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "title", "is_active"]


class RoleAssignmentForm(UserModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "decision_level", "org_unit"]

    def __init__(self, *args: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.user = target
        allowed = ROLES_BY_SCOPE.get(target.scope, set())
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]
        if target.scope == Scope.REGION:
            self.fields["org_unit"].queryset = OrgUnit.objects.visible_to(self.user).filter(
                region=target.region_id
            )
        else:
            del self.fields["org_unit"]
            del self.fields["decision_level"]

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        if role == Role.COORDINATOR and not (self.user and self.user.is_coordinator):
            raise forms.ValidationError(_("Only a coordinator can appoint a coordinator."))
        return role
