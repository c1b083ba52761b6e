"""How a row of ``url_table`` is read: which status each persona must get for GET and for an empty
POST.

Persona specs are space-separated ``fnmatch`` patterns over persona names (``a.*``, ``b.reader``,
``supplier_*``, ``*``). Everything not named answers 403 when signed in; anonymous is sent to the
login page unless the row is public.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Literal

from tests.coverage.personas import Persona

#: What an empty POST does for a persona the page lets in:
#: ``form`` – the form comes back with its errors (200) or the action is done and redirects (302);
#: ``action`` – a POST-only step: GET answers 405; an empty POST redirects (302: done, or refused by
#:   the workflow with a message) for ``ok``;
#: ``read`` – a page without a form: POST answers 405.
PostKind = Literal["form", "action", "read"]

LOGIN = "login"  # the expected outcome "redirect to the login page"

#: Personas who only read: no POST of theirs may write anything (checked in the audit log).
READ_ONLY = frozenset({"a.reader", "b.reader", "national_reader"})


@dataclass(frozen=True)
class Row:
    """The declared access to one URL pattern."""

    object: str | None = None  # key in ``objects.build_objects`` filling the URL's parameter
    ok: str = ""  # personas who get the page (200; or the POST-only step)
    missing: str = ""  # personas who get 404 (the object is not theirs: another tenant's)
    redirect: str = ""  # personas sent elsewhere (302) by a GET, e.g. to their own page
    post: PostKind = "form"
    public: bool = False  # anonymous gets the page too
    post_ok: str | None = None  # who may POST, when not the same as ``ok``
    query: str = ""  # appended to the URL, e.g. an export's table and format
    anonymous_get: int | str | None = None  # a public page's answer to anonymous, when not 200
    writes: bool = False  # a POST by a read-only persona may write (their own token, language, session)
    post_answer: int | str | None = None  # the permitted POST's one answer, when it is known exactly


def matches(spec: str, persona: Persona) -> bool:
    return any(fnmatch(persona.name, pattern) for pattern in spec.split())


def expected_get(row: Row, persona: Persona) -> int | str:
    if persona.is_anonymous:
        if row.anonymous_get is not None:
            return row.anonymous_get
        return 200 if row.public else LOGIN
    if row.post == "action":  # POST-only: the method is refused before anything else
        return 405
    for spec, status in ((row.ok, 200), (row.redirect, 302), (row.missing, 404)):
        if matches(spec, persona):
            return status
    return 403


def expected_post(row: Row, persona: Persona) -> set[int | str]:
    """The statuses an empty POST may answer (several: a form with nothing required may save)."""
    if persona.is_anonymous:
        return {200, 302, 405} if row.public else {LOGIN}
    if row.post == "read":  # refused as the GET is, or as a method the page does not take
        return {405, expected_get(row, persona)}
    if matches(may_post(row), persona):
        if row.post_answer is not None:
            return {row.post_answer}
        return {200, 302, 400}  # the form with its errors, the step done, or a 400 naming the field
    if matches(row.ok, persona) or matches(row.redirect, persona):
        return {302, 403}  # sent back with a message, or refused
    if matches(row.missing, persona):
        return {404}
    return {403}


def may_post(row: Row) -> str:
    return row.ok if row.post_ok is None else row.post_ok


def must_not_write(row: Row, persona: Persona) -> bool:
    """Whether this persona's POST must leave the audit log as it was."""
    if row.writes:
        return False
    return persona.name in READ_ONLY or not matches(may_post(row), persona)
