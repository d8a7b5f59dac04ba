"""Request handling shared by every page: user-facing errors, requests with a NUL character,
the interface language, and the Content-Security-Policy header."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import InvalidInput, NotFound, XinshengError

NUL = "\x00"


class UserErrorMiddleware:
    """Render a ``XinshengError`` that escaped a view as an error page with its status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, XinshengError) or request.path.startswith("/api/"):
            return None
        return render(
            request,
            "error.html",
            {"status": exception.status, "message": exception.message},
            status=exception.status,
        )


class NulCharacterMiddleware:
    """Answer a request with a NUL character in its path (404) or its query string (400).

    PostgreSQL cannot hold or compare text with NUL (0x00): a look-up by such a code or filter
    fails in the database, a server error where the request should find nothing or be refused.
    Forms and serializers refuse NUL in what they validate; the paths and query parameters that
    views read directly are checked here, once for every page and endpoint.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            return _error_response(request, NotFound())
        message = _("不能包含空字符。")
        fields = {
            name: [message]
            for name, values in request.GET.lists()
            if NUL in name or any(NUL in value for value in values)
        }
        if fields:
            return _error_response(request, InvalidInput(fields=fields))
        return self.get_response(request)


def _error_response(request: HttpRequest, error: XinshengError) -> HttpResponse:
    """Return ``error`` as the API's JSON under /api/, else as the error page."""
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"code": error.code, "message": str(error.message)}
        if error.fields:
            body["fields"] = {name: [str(m) for m in ms] for name, ms in error.fields.items()}
        return JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    context = {"status": error.status, "message": error.message}
    return render(request, "error.html", context, status=error.status)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Show pages in Chinese unless the user picked another language with the switcher.

    Many intranet computers run an English system whose browser asks for English; the interface
    stays Chinese for them. API clients still choose with Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/") or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            super().process_request(request)
            return
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# Only our own scripts, styles and images (plus the images scripts make: data: and blob: URLs);
# no plug-ins, no framing, forms post only to us. Inline scripts, inline event handlers
# (onclick=…), <style> elements and style="…" attributes are all refused: the pages keep their
# scripts and styles in static files and pass data through data-* attributes or json_script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
CSP_HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Send the platform's Content-Security-Policy with every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = CONTENT_SECURITY_POLICY
        return response
