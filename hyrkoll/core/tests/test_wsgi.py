"""The production entry point imports every view module, statsmodels and the PDF/Excel writers at start (see ``hyrkoll.wsgi``), without
opening a database connection (under ``gunicorn --preload`` the workers would share it), compiles every
template and freezes what it loaded."""

from __future__ import annotations

import os
import subprocess
import sys


def _printed_by_fresh_process(script: str) -> list[str]:
    """What ``script`` prints, run by a fresh interpreter (the entry point's work is per process)."""
    env = {**os.environ, "HYRKOLL_TESTING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.split()


def test_the_wsgi_module_imports_the_views_before_the_first_request() -> None:
    script = (
        "import sys, hyrkoll.wsgi; from django.db import connections; "
        "print(all(name in sys.modules for name in ('hyrkoll.api.views', 'hyrkoll.ordering.views.needs', 'statsmodels', 'weasyprint', 'openpyxl')), "
        "all(c.connection is None for c in connections.all(initialized_only=True)))"
    )
    assert _printed_by_fresh_process(script) == ["True", "True"]


def test_the_wsgi_module_compiles_every_template_and_freezes_before_the_first_request() -> None:
    """Every template is in the cached loader once the entry point is imported, both languages'
    catalogues are loaded (the workers forked from it inherit them), and what was loaded is frozen."""
    script = (
        "import hyrkoll.wsgi; from django.template import engines; from django.utils import translation; "
        "from django.utils.translation import trans_real; from hyrkoll.core import warm; "
        "cached = engines['django'].engine.template_loaders[0].get_template_cache; "
        "names = warm.template_names(); "
        "print(len(names) > 100, all(name in cached for name in names), "
        "sorted(trans_real._translations) == ['en', 'sv'], "
        # and then frozen out of the garbage collector's walks (the modules' objects are in there)
        "__import__('gc').get_freeze_count() > 100000)"
    )
    assert _printed_by_fresh_process(script) == ["True", "True", "True", "True"]
