"""WSGI entry point: ``gunicorn xinsheng.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
application = get_wsgi_application()
