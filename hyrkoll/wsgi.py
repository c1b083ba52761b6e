"""WSGI entry point for production servers (``gunicorn hyrkoll.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrkoll.settings")
application = get_wsgi_application()
