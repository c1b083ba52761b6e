from __future__ import annotations

from typing import Any

from django import forms


class UserModelForm(forms.ModelForm):
    """A ModelForm that knows who is filling it in (to limit choices to what they may see)."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
