"""Work each process would otherwise do on its first requests, done once by the master before
``gunicorn --preload`` forks the workers (see ``hyrkoll.wsgi``).

Django compiles a template the first time a process renders it and keeps it (the cached loader):
with five workers, every page's first five requests each paid for compiling its templates – a page
of the journeys uses 5–15 of them, 0.3 s for all 220 on the benchmark machine – and a name drawn a
hundred times in a load run has its 95th percentile in those. The translation catalogues are loaded
on a process's first request in each language in the same way.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.utils import translation

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def template_names() -> list[str]:
    """Every template the Django engine's loaders can find, by the name it is loaded by."""
    names: set[str] = set()
    engine = engines["django"].engine
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


def load_translations() -> None:
    """Load the catalogues of every language the app offers."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Start")
