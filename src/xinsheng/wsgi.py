"""WSGI entry point: ``gunicorn xinsheng.wsgi``.

The public forms and writes apps name (``PUBLIC_PATHS``) pass fewer middleware than the staff
pages (``core.public_requests``).

Loading this module also warms what every first request would otherwise pay for (the URL
configuration with every app's pages, the templates of the pages seen first), so that with
gunicorn's ``--preload`` the workers fork ready.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
_site = get_wsgi_application()

from xinsheng.core import public_requests  # noqa: E402 - needs the application's settings loaded
from xinsheng.core.warm import warm  # noqa: E402

# The public forms and writes take their own, leaner way (``core.public_requests``).
application = public_requests.application(_site)

warm()
