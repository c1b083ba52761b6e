"""Audit every change made through the Django admin, like the app does."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction


class AuditedModelAdmin(admin.ModelAdmin):
    """Records create/update/delete of the object and of its inlines, with before/after."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                before = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit.record(
                request.user, AuditAction.UPDATE if change else AuditAction.CREATE, obj, before=before
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Keyed by the instance itself: Django clears the pk of deleted objects.
        befores: dict[int, dict[str, Any]] = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is not None and (
                inline_form.has_changed() or formset._should_delete_form(inline_form)
            ):
                befores[id(instance)] = audit.snapshot(type(instance)._base_manager.get(pk=instance.pk))
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, AuditAction.CREATE, obj)
        for obj, _fields in formset.changed_objects:
            audit.record(request.user, AuditAction.UPDATE, obj, before=befores.get(id(obj)))
        for obj in formset.deleted_objects:
            audit.record(request.user, AuditAction.DELETE, obj, before=befores.get(id(obj)))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record_deletion(request.user, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record_deletion(request.user, obj)
            super().delete_queryset(request, queryset)
