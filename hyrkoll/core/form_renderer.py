"""The form renderer: Django's, with ``<select>`` and ``<input>`` written in Python.

Django renders every ``<option>`` of a select through two template includes (the option and its
attributes). A filter or form with a hundred competences or units cost milliseconds of CPU per
page in those includes alone, and every text or date input two more. :class:`FormRenderer` writes
the same markup, byte for byte, in Python; any widget with its own templates still goes through
the templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's widget templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
        "password", "search", "tel", "text", "time", "url",
    )
)  # fmt: skip


def _text(value: Any) -> str:
    """A value as ``{{ value }}`` shows it (localised, escaped)."""
    return str(conditional_escape(str(localize(template_localtime(value)))))


def _formatted(value: Any) -> str:
    """A value as ``{{ value|stringformat:'s' }}`` shows it (escaped unless it was safe already)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_select(widget: Mapping[str, Any]) -> SafeString | None:
    """The ``select.html`` markup of a widget context, or None if an option has its own template."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # the option template's own last newline
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))


def render_input(widget: Mapping[str, Any]) -> SafeString:
    """The ``input.html`` markup of a widget context."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return mark_safe(
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


class FormRenderer(DjangoTemplates):
    """Django's default renderer, but a plain ``<select>`` or ``<input>`` is written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        return super().render(template_name, context, request=request)
