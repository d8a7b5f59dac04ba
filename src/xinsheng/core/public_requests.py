"""The public forms' and writes' own way through the web server.

An employee's voice, a quiz attempt or a survey answer needs none of what serves the signed-in
staff: the session, the user, messages, the login lockout, static files. Passing such a request
through those middleware costs every one of the many requests sent at a shift change. The WSGI
application here sends the paths apps name in their ``PUBLIC_PATHS`` hook to a second Django
handler built with ``settings.PUBLIC_MIDDLEWARE`` (the same chain without those), and every
other request to the full one. Both resolve URLs, handle errors and open and close database
connections as Django does.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from xinsheng.core.plugins import PublicPath, contributions

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def public_pattern() -> re.Pattern[str]:
    """Return the pattern of every path an app names public (``PUBLIC_PATHS``)."""
    paths: list[PublicPath] = contributions("PUBLIC_PATHS")
    return re.compile("|".join(f"(?:{path.pattern})" for path in paths) or r"(?!)")


def public_handler() -> WSGIHandler:
    """Return a Django handler whose middleware are ``settings.PUBLIC_MIDDLEWARE``."""
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = settings.PUBLIC_MIDDLEWARE  # read once, while the handler is built
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = full


def application(full: WSGIHandler) -> WSGIApp:
    """Return the site's WSGI application: public paths to the lean handler, the rest to
    ``full``."""
    lean = public_handler()
    public = public_pattern().fullmatch

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handler = lean if public(environ.get("PATH_INFO", "")) else full
        return handler(environ, start_response)

    return dispatch
