"""Users and their roles.

A user belongs to exactly one scope: a region, a supplier, or the national level. What they may
do inside it comes from their role assignments (a user can hold several, e.g. orderer and
controller); an approver's assignment carries the decision level it may approve at.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


class Scope(models.TextChoices):
    NATIONAL = "national", _("National level")
    REGION = "region", _("Region")
    SUPPLIER = "supplier", _("Supplier")


class Role(models.TextChoices):
    # region roles
    REGION_ADMIN = "region_admin", _("Region administrator")
    ORDERER = "orderer", _("Authorised orderer (behörig beställare)")
    APPROVER = "approver", _("Approver")
    CALL_OFF_UNIT = "call_off_unit", _("Call-off unit (avropsenhet)")
    STEERING_GROUP = "steering_group", _("Steering group member")
    CONTROLLER = "controller", _("Controller")
    READER = "reader", _("Reader")
    # supplier roles
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    # national roles
    COORDINATOR = "coordinator", _("National coordinator (avtalsförvaltare)")
    NATIONAL_READER = "national_reader", _("National reader")


ROLES_BY_SCOPE: dict[str, set[str]] = {
    Scope.REGION: {
        Role.REGION_ADMIN,
        Role.ORDERER,
        Role.APPROVER,
        Role.CALL_OFF_UNIT,
        Role.STEERING_GROUP,
        Role.CONTROLLER,
        Role.READER,
    },
    Scope.SUPPLIER: {Role.SUPPLIER_USER},
    Scope.NATIONAL: {Role.COORDINATOR, Role.NATIONAL_READER},
}


class DecisionLevel(models.IntegerChoices):
    """Management levels at which call-offs and dispensations are decided, lowest first."""

    UNIT_MANAGER = 1, _("Head of unit (enhetschef)")
    DEPARTMENT_HEAD = 2, _("Head of department (verksamhetschef)")
    AREA_MANAGER = 3, _("Area manager (områdeschef)")
    HEALTH_DIRECTOR = 4, _("Director of health care (hälso- och sjukvårdsdirektör)")
    REGIONAL_DIRECTOR = 5, _("Regional director (regiondirektör)")


class HyrkollUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person using Hyrkoll. Visibility follows ``scope`` and ``region``/``supplier``."""

    scope_region_path = "region"
    scope_supplier_path = "supplier"

    scope = models.CharField(_("belongs to"), max_length=20, choices=Scope.choices, default=Scope.REGION)
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
    )
    supplier = models.ForeignKey(
        "agreement.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("supplier"),
    )
    title = models.CharField(_("job title"), max_length=150, blank=True)

    objects = HyrkollUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.REGION, region__isnull=False, supplier__isnull=True)
                    | Q(scope=Scope.SUPPLIER, supplier__isnull=False, region__isnull=True)
                    | Q(scope=Scope.NATIONAL, region__isnull=True, supplier__isnull=True)
                ),
                name="%(app_label)s_%(class)s_scope_matches_owner",
                violation_error_message=_(
                    "A region user needs a region, a supplier user a supplier, a national user neither."
                ),
            )
        ]

    @property
    def is_national(self) -> bool:
        return self.scope == Scope.NATIONAL

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.scope == Scope.REGION:
            if not self.region_id:
                errors["region"] = _("A region user needs a region.")
            if self.supplier_id:
                errors["supplier"] = _("A region user cannot belong to a supplier.")
        elif self.scope == Scope.SUPPLIER:
            if not self.supplier_id:
                errors["supplier"] = _("A supplier user needs a supplier.")
            if self.region_id:
                errors["region"] = _("A supplier user cannot belong to a region.")
        elif self.scope == Scope.NATIONAL:
            if self.region_id:
                errors["region"] = _("A national user cannot belong to a region.")
            if self.supplier_id:
                errors["supplier"] = _("A national user cannot belong to a supplier.")
        if errors:
            raise ValidationError(errors)

    def loaded_role_assignments(self) -> list[RoleAssignment]:
        """The user's role assignments, loaded once per instance (one request): the menu and every
        permission check of a page read them, which was a query each."""
        # With the unit: the start page names each role's unit (a query per role otherwise).
        with_unit = models.Prefetch(
            "role_assignments", queryset=RoleAssignment.objects.select_related("org_unit")
        )
        prefetch_related_objects([self], with_unit)  # nothing to do once loaded
        return list(self.role_assignments.all())

    def role_codes(self) -> set[str]:
        """The user's roles; cached on the instance for one request."""
        cached: set[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = {assignment.role for assignment in self.loaded_role_assignments()}
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or self.has_role(Role.COORDINATOR)

    @property
    def is_region_admin(self) -> bool:
        return self.scope == Scope.REGION and self.has_role(Role.REGION_ADMIN)

    @property
    def owner_label(self) -> str:
        if self.scope == Scope.REGION and self.region_id:
            return str(self.region)
        if self.scope == Scope.SUPPLIER and self.supplier_id:
            return str(self.supplier)
        return str(Scope.NATIONAL.label)


class RoleAssignment(models.Model):
    """One role of one user, optionally limited to a part of the region's organisation."""

    scope_region_path = "user__region"
    scope_supplier_path = "user__supplier"

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    decision_level = models.PositiveSmallIntegerField(
        _("decision level"),
        choices=DecisionLevel.choices,
        null=True,
        blank=True,
        help_text=_("Required for approvers: the level they decide at."),
    )
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("limited to"),
        help_text=_("Empty: the whole region."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.APPROVER) & Q(decision_level__isnull=False))
                | (~Q(role=Role.APPROVER) & Q(decision_level__isnull=True)),
                name="%(app_label)s_%(class)s_level_only_for_approvers",
                violation_error_message=_("An approver needs a decision level; other roles have none."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org_unit", "decision_level"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("The user already has this role."),
            ),
        ]

    def __str__(self) -> str:
        text = str(self.get_role_display())
        if self.decision_level:
            text += f" – {self.get_decision_level_display()}"
        if self.org_unit_id:
            text += f" ({self.org_unit})"
        return text

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role == Role.APPROVER and not self.decision_level:
            errors["decision_level"] = _("An approver needs a decision level.")
        if self.role != Role.APPROVER and self.decision_level:
            errors["decision_level"] = _("Only approvers have a decision level.")
        if self.user_id and self.role:
            user = self.user
            if self.role not in ROLES_BY_SCOPE.get(user.scope, set()):
                errors["role"] = _("This role is not available to a user of %(scope)s.") % {
                    "scope": user.get_scope_display()
                }
            if self.org_unit_id and self.org_unit.region_id != user.region_id:
                errors["org_unit"] = _("The unit belongs to another region than the user.")
            # NULLs are distinct in the unique constraint, so duplicates of a region-wide role
            # are caught here.
            duplicates = RoleAssignment.objects.filter(
                user_id=self.user_id,
                role=self.role,
                org_unit_id=self.org_unit_id,
                decision_level=self.decision_level,
            ).exclude(pk=self.pk)
            if duplicates.exists():
                errors["role"] = _("The user already has this role.")
        if errors:
            raise ValidationError(errors)
