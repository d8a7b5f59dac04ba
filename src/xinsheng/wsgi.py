"""WSGI entry point: ``gunicorn xinsheng.wsgi``.

Loading this module also warms what every first request would otherwise pay for (the URL
configuration with every app's pages, the templates of the pages seen first), so that with
gunicorn's ``--preload`` the workers fork ready.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
application = get_wsgi_application()

from xinsheng.core.warm import warm  # noqa: E402 - needs the application's settings loaded

warm()
