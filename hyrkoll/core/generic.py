"""Generic views for changing data: each save is validated, scoped and audited in one transaction.

Subclasses set ``model``, ``form_class`` and implement ``can_change(user)``; the object is always
looked up through ``Model.objects.visible_to(user)``, so a user can never open another region's
object, even by guessing its id.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction


class ChangePermissionMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Only users for whom ``can_change`` is true get past (others get 403)."""

    raise_exception = True

    def can_change(self, user: Any) -> bool:
        raise NotImplementedError

    def test_func(self) -> bool:
        return bool(self.can_change(self.request.user))  # type: ignore[attr-defined]


class AuditedFormMixin:
    template_name = "form.html"
    title: str = ""
    success_message: str = ""
    request: Any
    object: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("title", self.get_title())
        context.setdefault("cancel_url", self.get_success_url())  # type: ignore[attr-defined]
        return context

    def get_title(self) -> str:
        return self.title

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs


class AuditedCreateView(ChangePermissionMixin, AuditedFormMixin, CreateView):
    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            self.object = form.save()
            audit.record(self.request.user, AuditAction.CREATE, self.object)
        messages.success(self.request, self.success_message or _("Saved."))
        return super(CreateView, self).form_valid(form)  # redirect without saving twice


class AuditedUpdateView(ChangePermissionMixin, AuditedFormMixin, UpdateView):
    _before: dict[str, Any]

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user)  # type: ignore[union-attr]

    def get_object(self, queryset: models.QuerySet | None = None) -> Any:
        obj = super().get_object(queryset)
        # The form changes the instance while validating; keep the state as it was in the DB.
        self._before = audit.snapshot(obj)
        return obj

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            self.object = form.save()
            audit.record(self.request.user, AuditAction.UPDATE, self.object, before=self._before)
        messages.success(self.request, self.success_message or _("Saved."))
        return super(UpdateView, self).form_valid(form)
