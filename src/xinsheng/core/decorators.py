"""Decorators shared by the staff pages of every app."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def staff_view(view: View) -> View:
    """Require a signed-in user, like ``login_required``; tell htmx to go to the login page.

    A fragment requested after the session expired must not swap the login form into the page.
    """
    page_view = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or not request.headers.get("HX-Request"):
            return page_view(request, *args, **kwargs)
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        page = urlunsplit(("", "", current.path, current.query, "")) or request.get_full_path()
        response = HttpResponse(status=401)
        response["HX-Redirect"] = redirect_to_login(page)["Location"]
        return response

    return wrapper
