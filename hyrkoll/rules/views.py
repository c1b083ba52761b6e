"""The region's rule table: everyone in the region reads it; administrators and the steering group
change it. A change of a rule is a new version; the old one is closed, never overwritten."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.accounts.models import Scope
from hyrkoll.audit import services as audit
from hyrkoll.core.generic import AuditedCreateView
from hyrkoll.lib.listing import Listing
from hyrkoll.organisation.models import Region
from hyrkoll.rules import services
from hyrkoll.rules.forms import RegionRuleForm, RuleCloseForm, RuleVersionForm
from hyrkoll.rules.models import RegionRule

RELATED = ("region", "profession", "competence", "level", "care_area", "org_unit")


def _chosen_region(request: HttpRequest) -> Region:
    """The user's own region; national users pick one with ?region=14 (default: the first)."""
    user: Any = request.user
    if user.scope == Scope.REGION and user.region_id:
        return user.region
    if user.is_superuser or user.scope == Scope.NATIONAL:
        code = request.GET.get("region")
        if code:
            return get_object_or_404(Region.objects.all(), code=code)
        region = Region.objects.order_by("code").first()
        if region is not None:
            return region
    raise PermissionDenied


def _rule_or_404(request: HttpRequest, pk: int) -> RegionRule:
    return get_object_or_404(RegionRule.objects.visible_to(request.user).select_related(*RELATED), pk=pk)


def _is_replaced(rule: RegionRule) -> bool:
    return RegionRule.objects.filter(replaces=rule).exists()


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    region = _chosen_region(request)
    if not services.can_read_rules(request.user, region.pk):
        raise PermissionDenied
    today = timezone.localdate()
    rules = (
        RegionRule.objects.visible_to(request.user)
        .filter(region=region)
        .select_related(*RELATED)
        .order_by("kind", "name", "-valid_from")
    )
    listing = Listing(
        request,
        rules,
        sorts={
            "name": "name",
            "kind": "kind",
            "level": "decision_level",
            "from": "valid_from",
            "to": "valid_to",
        },
    )
    rules = listing.rows
    ended = rules.filter(valid_to__lt=today)
    context = {
        "listing": listing,
        "region": region,
        "regions": Region.objects.order_by("code") if request.user.scope != Scope.REGION else [],
        "in_force": rules.in_force(today),
        "upcoming": rules.filter(valid_from__gt=today),
        "ended": ended if listing.sort_key else ended.order_by("-valid_to", "name"),
        "today": today,
        "can_change": services.can_change_rules(request.user, region.pk),
    }
    return render(request, "rules/rule_list.html", context)


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule_or_404(request, pk)
    can_change = services.can_change_rules(request.user, rule.region_id)
    today = timezone.localdate()
    context = {
        "rule": rule,
        "chain": services.version_chain(rule),
        "is_latest": not _is_replaced(rule),
        "in_force": rule.valid_from <= today and (rule.valid_to is None or rule.valid_to >= today),
        "can_change": can_change,
        "history": audit.history(rule)[:20],
    }
    return render(request, "rules/rule_detail.html", context)


class RuleCreateView(AuditedCreateView):
    model = RegionRule
    form_class = RegionRuleForm
    title = gettext_lazy("New rule")

    def can_change(self, user: Any) -> bool:
        return services.can_change_rules(user, getattr(user, "region_id", None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "intro",
            _(
                "Empty conditions match every need. A hiring stop blocks matching needs unless a "
                "dispensation is granted at its decision level; a decision-level rule sends matching "
                "needs to that level. When several rules match, the highest level decides."
            ),
        )
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        if self.object:
            return reverse("rules:detail", args=[self.object.pk])
        return reverse("rules:list")


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of the rule from a date; the current version ends the day before."""
    rule = _rule_or_404(request, pk)
    if not services.can_change_rules(request.user, rule.region_id):
        raise PermissionDenied
    if _is_replaced(rule):
        messages.error(request, _("This version has already been replaced; change the latest version."))
        return redirect("rules:detail", pk=rule.pk)
    form = RuleVersionForm(request.POST or None, user=request.user, replacing=rule)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.VERSION_FIELDS}
        try:
            new = services.replace_rule(request.user, rule, values, form.cleaned_data["valid_from"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("New version saved. The previous version ends on %(date)s.")
                % {"date": (new.valid_from - services.ONE_DAY).isoformat()},
            )
            return redirect("rules:detail", pk=new.pk)
    context = {
        "form": form,
        "title": _("New version of the rule “%(name)s”") % {"name": rule.name},
        "intro": _(
            "A rule is not changed in place: the change is saved as a new version from the date you "
            "give, and the current version (from %(date)s) ends the day before."
        )
        % {"date": rule.valid_from.isoformat()},
        "cancel_url": reverse("rules:detail", args=[rule.pk]),
        "submit_label": _("Save new version"),
    }
    return render(request, "form.html", context)


@login_required
def rule_close(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule_or_404(request, pk)
    if not services.can_change_rules(request.user, rule.region_id):
        raise PermissionDenied
    if _is_replaced(rule):
        messages.error(request, _("This version has already been replaced; close the latest version."))
        return redirect("rules:detail", pk=rule.pk)
    form = RuleCloseForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_rule(
                request.user, rule, form.cleaned_data["valid_to"], form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The rule ends on %(date)s.") % {"date": form.cleaned_data["valid_to"].isoformat()},
            )
            return redirect("rules:detail", pk=rule.pk)
    context = {
        "form": form,
        "title": _("End the rule “%(name)s”") % {"name": rule.name},
        "cancel_url": reverse("rules:detail", args=[rule.pk]),
        "submit_label": _("End the rule"),
    }
    return render(request, "form.html", context)
