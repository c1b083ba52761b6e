"""``{% data_table block.table links=True %}`` – a follow-up table (see :mod:`hyrkoll.followup.table_html`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from hyrkoll.followup.exports import Table
from hyrkoll.followup.table_html import table_html

register = template.Library()


@register.simple_tag
def data_table(table: Table, links: bool = False) -> SafeString:
    return table_html(table, links=links)
