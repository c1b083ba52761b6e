from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.core.forms import UserModelForm
from hyrkoll.pool.models import PoolMember

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PoolMemberForm(UserModelForm):
    """A member of the user's own region's pool (the region is never a form field)."""

    class Meta:
        model = PoolMember
        fields = [
            "first_name",
            "last_name",
            "profession",
            "level",
            "competence",
            "available_from",
            "available_to",
            "hours_per_week",
            "is_active",
            "note",
        ]
        widgets = {"available_from": DATE_WIDGET, "available_to": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.region_id is None:
            self.instance.region_id = getattr(self.user, "region_id", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        profession, level, competence = data.get("profession"), data.get("level"), data.get("competence")
        if profession and level and level.sub_area_code != profession.sub_area_code:
            self.add_error("level", _("The level belongs to another sub-area than the profession."))
        if profession and competence and competence.profession_id != profession.pk:
            self.add_error("competence", _("The competence belongs to another profession."))
        hours = data.get("hours_per_week")
        if hours is not None and not 0 < hours <= 80:
            self.add_error("hours_per_week", _("Give between 0 and 80 hours per week."))
        return data
