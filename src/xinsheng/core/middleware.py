"""Request handling shared by every page: user-facing errors, the interface language, and the
Content-Security-Policy header."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from xinsheng.core.errors import XinshengError


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
