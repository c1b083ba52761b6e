from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.core.forms import UserModelForm
from hyrkoll.organisation.models import Municipality, OrgUnit


class OrgUnitForm(UserModelForm):
    """A unit of the user's own region; parent and municipality limited to that region."""

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent", "code", "name", "municipality", "care_area", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_id = self.instance.region_id if self.instance.pk else getattr(self.user, "region_id", None)
        self.instance.region_id = region_id
        parents = OrgUnit.objects.visible_to(self.user).filter(region_id=region_id)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.exclude(kind="care_unit")
        self.fields["municipality"].queryset = Municipality.objects.filter(region_id=region_id)

    def clean_code(self) -> str:
        # ``region`` is set on the instance, not a form field, so Django's constraint validation
        # skips the (region, code) uniqueness and a duplicate would reach the database.
        code: str = self.cleaned_data["code"]
        same_code = OrgUnit.objects.filter(region_id=self.instance.region_id, code=code)
        if same_code.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The region already has a unit with this code."))
        return code
