"""Template tags of the list pages: sortable column headers and page links that keep the query.

See :mod:`hyrkoll.lib.listing`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hyrkoll.lib.listing import Listing, query_without_page

register = template.Library()


@register.simple_tag
def sort_header(listing: Listing, key: str, label: str, css_class: str = "") -> SafeString:
    """``{% sort_header listing "deadline" _("Response deadline") "num" %}`` – a ``<th>`` whose link
    sorts the list by that column (``aria-sort`` and an arrow on the sorted one). A template
    included without a listing (or a key it does not sort by) gets a plain header."""
    if not isinstance(listing, Listing) or key not in listing.sorts:
        return format_html(
            '<th scope="col"{}>{}</th>', format_html(' class="{}"', css_class) if css_class else "", label
        )
    header = listing.header(key, label)
    return format_html(
        '<th scope="col"{}{}><a class="sort" href="{}">{}<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-sort="{}"', header.aria_sort) if header.aria_sort else "",
        header.href,
        header.label,
        header.arrow,
    )


@register.simple_tag(takes_context=True)
def page_query(context: Any) -> str:
    """The current query string without ``page`` (for the pagination links)."""
    request = context.get("request")
    return query_without_page(request.GET) if request is not None else ""


@register.simple_tag(takes_context=True)
def hidden_params(context: Any, form: Any, shown_elsewhere: str = "") -> SafeString:
    """Hidden inputs for the query parameters the filter form does not show itself (the sort, a
    work queue), so that filtering keeps them; the page is dropped (the filter starts at page 1).
    ``shown_elsewhere``: space-separated names of the page's own extra fields in the form."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    shown = set(form.fields) | {"page"} | set(shown_elsewhere.split())
    inputs = [
        format_html('<input type="hidden" name="{}" value="{}">', name, value)
        for name, values in request.GET.lists()
        if name not in shown
        for value in values
        if value != ""
    ]
    return SafeString("".join(inputs))
