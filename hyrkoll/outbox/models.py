"""A queued e-mail: rendered when the workflow step commits, sent (and retried) by the worker."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", pgettext_lazy("e-mail status", "Sent")
    FAILED = "failed", pgettext_lazy("e-mail status", "Failed")


class MessageKind(models.TextChoices):
    CALL_OFF_PUBLISHED = "call_off_published", _("Call-off to a supplier")
    CALL_OFF_CLOSED = "call_off_closed", _("Call-off filled or closed")
    NEED_AWARDED = "need_awarded", _("Award to the orderer")
    DECISION_REQUESTED = "decision_requested", _("Decision request")
    TIME_REPORT_RETURNED = "time_report_returned", _("Returned time report")


class OutboxMessage(models.Model):
    """One e-mail to one or more recipients, with what it is about (for the coordinator's page).

    ``next_attempt_at`` is when the worker may take the message next: for a QUEUED message the time
    of its next try (back-off after a failure), for a SENDING one the end of the worker's lease (a
    message still SENDING after it belonged to a worker that died and is taken again).
    """

    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sender = models.CharField(_("sender"), max_length=254)
    recipients = models.JSONField(_("recipients"), default=list, help_text=_("E-mail addresses."))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    supplier = models.ForeignKey(
        "agreement.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    object_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of object"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("about"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            # The worker's question: which messages are due (``services.claim``).
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_waiting(self) -> bool:
        """Queued for a (next) attempt at ``next_attempt_at``."""
        return self.status == MessageStatus.QUEUED

    @property
    def can_retry(self) -> bool:
        return self.status == MessageStatus.FAILED
