"""WSGI entry point for production servers (``gunicorn hyrkoll.wsgi``).

The URLconf, and with it every view module, the REST layer and the OpenAPI schema's code, is
imported here instead of on each worker's first request: under ``gunicorn --preload`` the master
does it once before forking (about 0.9 s a worker otherwise, paid by the first requests each worker
takes, and again whenever a worker is restarted), and a broken view module stops the start instead
of answering 500.

The forecasting model (statsmodels, about 1.9 s to import) is loaded here too: the dashboards
import it only when a forecast is first computed, which made each worker's first national
dashboard take seconds. So are the PDF and Excel writers (WeasyPrint about 0.9 s, openpyxl 0.26 s),
imported by the exports only when a report is first downloaded. And every template is compiled and
the translation catalogues loaded and the URLconf's index for ``reverse`` built
(``hyrkoll.core.warm``), which each worker did on its first requests of each page.

Last, everything loaded so far is moved out of the garbage collector's reach (``gc.freeze()``, as the
Python documentation advises before forking workers): the ~350,000 objects of Django, the views,
statsmodels and WeasyPrint live as long as the process, yet every full collection in a worker walked
them all – 195 ms each on the benchmark machine, paid by whichever request triggered it (the GC took
9.7 % of the CPU of 115 requests of the load benchmark's pages, 2.3 % with the objects frozen).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrkoll.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 – imports every view module (see above)
import openpyxl  # noqa: E402, F401 – the Excel downloads' writer (see above)
import weasyprint  # noqa: E402, F401 – the PDF report's renderer (see above)

import hyrkoll.forecasting.data  # noqa: E402, F401 – statsmodels, before the workers fork (see above)
from hyrkoll.core import warm  # noqa: E402

warm.compile_templates()
warm.compile_form_templates()
warm.load_translations()
warm.index_urls()
gc.freeze()  # last: see above
