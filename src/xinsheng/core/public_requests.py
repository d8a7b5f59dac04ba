"""The public forms' and writes' own way through the web server.

An employee's voice, a quiz attempt or a survey answer needs none of what serves the signed-in
staff: the session, the user, messages, the login lockout, static files. Passing such a request
through those middleware costs every one of the many requests sent at a shift change. The WSGI
application here sends the paths apps name in their ``PUBLIC_PATHS`` hook to a second Django
handler built with ``settings.PUBLIC_MIDDLEWARE`` (the same chain without those), and every
other request to the full one. Both resolve URLs, handle errors and open and close database
connections as Django does; the lean handler remembers what each public path it saw resolved to
(the site's whole URL configuration is otherwise searched again for every voice sent), and reads
a form's fields without Django's checks of each field added (see ``PublicRequest``).
"""

import re
from collections.abc import Callable, Iterable
from typing import Any, cast
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest, QueryDict
from django.urls import ResolverMatch
from django.utils.datastructures import MultiValueDict

from xinsheng.core.plugins import PublicPath, contributions

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def public_pattern() -> re.Pattern[str]:
    """Return the pattern of every path an app names public (``PUBLIC_PATHS``)."""
    paths: list[PublicPath] = contributions("PUBLIC_PATHS")
    return re.compile("|".join(f"(?:{path.pattern})" for path in paths) or r"(?!)")


# Paths resolved and remembered by one lean handler, at most; past it the memory starts afresh
# (a unit code, survey token or quiz number per path: far fewer in a working day).
RESOLVED_MAX = 2048


URLENCODED = "application/x-www-form-urlencoded"


def urlencoded_fields(body: bytes) -> QueryDict:
    """Return the fields of a form's urlencoded ``body``: ``QueryDict(body, encoding="utf-8")``.

    The same fields in the same order, the same decoding (UTF-8, else Latin-1 as Django falls
    back to), the same limit on their number; but each field is added to its list directly,
    where ``QueryDict`` checks, per field, that it may change and that the name and value are
    text. A phone form's POST spends about as long on those checks as on the parsing itself.
    """
    fields = QueryDict(mutable=True, encoding="utf-8")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError as error:  # as QueryDict: only too many fields make parse_qsl raise
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        ) from error
    lists = cast("dict[str, list[str]]", fields)  # a MultiValueDict holds each name's list
    for name, value in pairs:
        dict.setdefault(lists, name, []).append(value)
    fields._mutable = False
    return fields


class PublicRequest(WSGIRequest):
    """A request of the public way: a urlencoded form's fields read by ``urlencoded_fields``.

    Anything else (another method or content type, a body already read as a stream, a charset
    other than UTF-8, which Django refuses) is read by Django's own code.
    """

    def _load_post_and_files(self) -> None:
        encoding = self.encoding
        if (
            self.method != "POST"
            or self.content_type != URLENCODED
            or (getattr(self, "_read_started", False) and not hasattr(self, "_body"))
            or (encoding is not None and encoding.lower() != "utf-8")
        ):
            super()._load_post_and_files()
            return
        self._post = urlencoded_fields(self.body)  # ``body`` checks the size limit
        self._files = cast("MultiValueDict[str, Any]", MultiValueDict())


class PublicHandler(WSGIHandler):
    """A Django handler that remembers the view each path it resolved goes to.

    A path resolves to the same view and arguments every time: the URL configuration is fixed
    once the process is loaded, and none of its public patterns depends on the language. A path
    that resolves to nothing is not remembered (it raises, as Django's resolution does).
    """

    request_class = PublicRequest

    def __init__(self) -> None:
        super().__init__()
        self.resolved: dict[str, ResolverMatch] = {}

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        """Return the view of the request's path, resolved once per path."""
        if hasattr(request, "urlconf"):  # a middleware chose another configuration
            return super().resolve_request(request)
        path = request.path_info
        known = self.resolved.get(path)
        if known is None:
            known = super().resolve_request(request)
            if len(self.resolved) >= RESOLVED_MAX:
                self.resolved.clear()
            self.resolved[path] = known
        # Each request its own match and arguments: a middleware may change what it is given.
        match = object.__new__(ResolverMatch)  # (a match refuses ``copy.copy``)
        match.__dict__.update(vars(known), kwargs=dict(known.kwargs))
        request.resolver_match = match
        return match


def public_handler() -> PublicHandler:
    """Return a Django handler whose middleware are ``settings.PUBLIC_MIDDLEWARE``."""
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = settings.PUBLIC_MIDDLEWARE  # read once, while the handler is built
    try:
        return PublicHandler()
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
