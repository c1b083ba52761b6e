"""Work each process would otherwise do on its first requests, done once by the master before
``gunicorn --preload`` forks the workers (see ``hyrkoll.wsgi``).

Django compiles a template the first time a process renders it and keeps it (the cached loader):
with five workers, every page's first five requests each paid for compiling its templates – a page
of the journeys uses 5–15 of them, 0.3 s for all 220 on the benchmark machine – and a name drawn a
hundred times in a load run has its 95th percentile in those. The translation catalogues are loaded
on a process's first request in each language in the same way, and so is the URLconf's index for
``reverse`` (each of its ~500 patterns' regular expression compiled and normalised: 55–65 ms, which
made each worker's first page – the login page, in a load run – 15 times slower than the next).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import Engine, engines
from django.urls import get_resolver
from django.utils import translation

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def template_names(engine: Engine | None = None) -> list[str]:
    """Every template ``engine``'s loaders (the Django engine's by default) can find, by the name it
    is loaded by."""
    names: set[str] = set()
    engine = engine or engines["django"].engine
    for loader in engine.template_loaders:
        for each in getattr(loader, "loaders", [loader]):  # the cached loader wraps the others
            for directory in each.get_dirs():
                root = Path(directory)
                names.update(
                    path.relative_to(root).as_posix()
                    for path in root.rglob("*")
                    if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
                )
    return sorted(names)


def compile_templates() -> int:
    """Compile every template into the engine's cache; a template that does not compile stops the
    start (as a broken view module does). Returns how many were compiled."""
    engine = engines["django"].engine
    names = template_names()
    for name in names:
        engine.get_template(name)
    return len(names)


def compile_form_templates() -> int:
    """Compile the form renderer's own templates (``django/forms/…``: labels, fields, the widgets it
    does not write in Python) in its engine, which Django builds apart from the pages' one. Returns
    how many were compiled."""
    engine = get_default_renderer().engine.engine
    names = [name for name in template_names(engine) if name.startswith("django/forms/")]
    for name in names:
        engine.get_template(name)
    return len(names)


def load_translations() -> None:
    """Load the catalogues of every language the app offers."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Start")


def index_urls() -> None:
    """Build the URLconf's index for ``reverse`` in every language the app offers (Django builds it
    per language, on the first ``reverse`` or ``{% url %}`` in it)."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 – the property builds the index
