"""The audit trail: who changed what, when, why, with the state before and after.

Events are written by explicit calls to :func:`hyrkoll.audit.services.record` from the places that
change data (app views, admin, imports, commands), never by signals, so a bulk update cannot slip
past unnoticed without the caller choosing to. Events are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    IMPORT = "import", _("Imported")
    DECISION = "decision", _("Decision")


class AuditEvent(models.Model):
    # Region events are visible to the region; national events (region empty) only nationally.
    scope_region_path = "region"

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(
        _("who (name)"), max_length=150, help_text=_("Kept if the user is removed.")
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The history of one object, newest first (object pages, tests).
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_history"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]

    def readable_changes(self) -> list[tuple[str, str, str]]:
        """The changes with field names, choice labels and local times (``audit.readable``)."""
        from hyrkoll.audit.readable import readable_changes

        return readable_changes(self)
