from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from rest_framework.authtoken.models import Token

from hyrkoll.accounts.forms import RoleAssignmentForm, UserCreateForm, UserUpdateForm
from hyrkoll.accounts.models import Role, RoleAssignment, Scope, User
from hyrkoll.accounts.permissions import can_administer, can_administer_users
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.lib.listing import BooleanFilter, ChoiceFilter, Listing, TextFilter, region_filter


class UserAdminMixin(LoginRequiredMixin, UserPassesTestMixin):
    raise_exception = True

    def test_func(self) -> bool:
        return can_administer_users(self.request.user)  # type: ignore[attr-defined]


class UserListView(UserAdminMixin, ListView):
    template_name = "accounts/user_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[User]:
        user = self.request.user
        users = User.objects.visible_to(user).select_related("region", "supplier")
        users = users.prefetch_related("role_assignments__org_unit")
        users = users.order_by("scope", "region__code", "supplier__name", "username")
        self.listing = Listing(
            self.request,
            users,
            sorts={
                "username": "username",
                "name": ("last_name", "first_name"),
                "owner": ("scope", "region__name", "supplier__name"),
                "active": "is_active",
            },
            filters=[
                TextFilter("q", _("Search by username or surname"), ["username", "last_name"]),
                ChoiceFilter("role", _("Role"), "role_assignments__role", Role.choices, multi_valued=True),
                ChoiceFilter("scope", _("Belongs to"), "scope", Scope.choices)
                if _sees_several(user)
                else None,
                region_filter(user),
                BooleanFilter("active", _("Active"), "is_active"),
            ],
        )
        return self.listing.rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["listing"] = self.listing
        return context


def _sees_several(user: Any) -> bool:
    """Only the national level administers users of more than one region or supplier."""
    return bool(user.is_superuser or user.is_national)


class UserDetailView(UserAdminMixin, DetailView):
    template_name = "accounts/user_detail.html"
    context_object_name = "person"

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = can_administer(self.request.user, self.object)
        context["roles"] = self.object.role_assignments.select_related("org_unit")
        context["history"] = audit.history(self.object)[:20]
        return context


class UserCreateView(AuditedCreateView):
    model = User
    form_class = UserCreateForm
    title = gettext_lazy("New user")

    def can_change(self, user: Any) -> bool:
        return can_administer_users(user)

    def get_success_url(self) -> str:
        if self.object:
            return reverse("accounts:user_detail", args=[self.object.pk])
        return reverse("accounts:users")


class UserUpdateView(AuditedUpdateView):
    model = User
    form_class = UserUpdateForm
    title = gettext_lazy("Edit user")

    def can_change(self, user: Any) -> bool:
        target = get_object_or_404(User.objects.visible_to(user), pk=self.kwargs["pk"])
        return can_administer(user, target)

    def get_success_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.object.pk])


class RoleAssignmentCreateView(AuditedCreateView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    title = gettext_lazy("Give a role")

    def target(self) -> User:
        return get_object_or_404(User.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def can_change(self, user: Any) -> bool:
        return can_administer(user, self.target())

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["target"] = self.target()
        return kwargs

    def get_title(self) -> str:
        return _("Give %(user)s a role") % {"user": self.target().get_username()}

    def get_success_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.kwargs["pk"]])


@login_required
@require_POST
def remove_role(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        RoleAssignment.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    if not can_administer(request.user, assignment.user):
        return HttpResponse(status=403)
    with transaction.atomic():
        audit.record_deletion(request.user, assignment)
        assignment.delete()
    messages.success(request, _("The role was removed."))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Show the user's API token; POST creates or replaces it (the old one stops working)."""
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        with transaction.atomic():
            if token:
                token.delete()
            token = Token.objects.create(user=request.user)
            audit.record(
                request.user, AuditAction.UPDATE, request.user, reason="API token created or replaced"
            )
        messages.success(request, _("A new API token was created. The old one no longer works."))
        return redirect("accounts:token")
    return render(request, "accounts/token.html", {"token": token})
