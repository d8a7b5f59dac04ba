"""Public pages rendered once per distinct input, then filled with each request's own tokens.

A form shown to everyone who scans a code is the same page for every visitor of one address in
one language, but for two things that must be new each time: the CSRF token (Django masks it
afresh on every rendering) and tokens of the page's own, such as the intake form's idempotency
key. :func:`remembered_page` renders the page once with placeholders for the page's tokens, cuts
it at those placeholders and at the CSRF inputs, and keeps the pieces
(``core.remembered_widgets``' bounded store, keyed with the active language); every later
request joins the pieces around fresh tokens. Rendering the form through its templates costs
several milliseconds; joining a few strings costs microseconds.

The key must hold everything else the page depends on: the caller names its inputs (the unit's
fields, …); the request's full path is added here, since the language switcher of every public
page sends the visitor back to it. Only pages without per-visitor content may be kept: a form
shown again with what was typed or with errors is rendered as usual.
"""

import re
import secrets
from collections.abc import Callable, Hashable, Mapping

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from xinsheng.core.csrf_tokens import get_token
from xinsheng.core.remembered_widgets import remembered

CSRF = "csrf"  # the slot of the CSRF token, filled by every page
_CSRF_MARKER = f"csrf{secrets.token_hex(16)}"
_CSRF_INPUT = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(?=")')

# A page as kept: literal text, and the names of the slots between the pieces.
Pieces = tuple[tuple[str, ...], tuple[str, ...]]


def remembered_page(
    request: HttpRequest,
    key: Hashable,
    render: Callable[[Mapping[str, str]], HttpResponse],
    values: Mapping[str, str | Callable[[], str]],
) -> HttpResponse:
    """Return the page ``render`` makes, rendered once per ``key``, address and language.

    ``render`` receives a placeholder for each of ``values`` and must put it where that value
    goes, as text the template escapes; ``values`` are this request's own: a text, or a callable
    making a fresh one wherever it appears. They are escaped as the template would escape them.
    The CSRF token of the page's forms is filled in the same way (``core.csrf_tokens.get_token``,
    once for all of them; it also sends the CSRF cookie).
    """
    texts, slots = remembered(
        ("page", key, request.get_full_path()), lambda: _pieces(render, tuple(values))
    )
    csrf: list[str] = []  # one masked token serves every form of the page

    def csrf_token() -> str:
        if not csrf:
            csrf.append(get_token(request))
        return csrf[0]

    fills: dict[str, str | Callable[[], str]] = {**values, CSRF: csrf_token}
    parts = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        fill = fills[slot]
        parts.append(escape(fill if isinstance(fill, str) else fill()))
        parts.append(text)
    return HttpResponse("".join(parts))


def _pieces(render: Callable[[Mapping[str, str]], HttpResponse], names: tuple[str, ...]) -> Pieces:
    """Render the page with a placeholder per token; cut it at the placeholders and CSRF tokens."""
    placeholders = {name: f"slot{secrets.token_hex(16)}" for name in names}
    response = render(placeholders)
    if response.status_code != 200:
        raise ValueError(f"only a page shown as such can be kept, not a {response.status_code}")
    html = response.content.decode(response.charset)
    slot_of = {placeholder: name for name, placeholder in placeholders.items()}
    marked = _CSRF_INPUT.sub(_CSRF_MARKER, html)
    pattern = re.compile("|".join([re.escape(_CSRF_MARKER), *map(re.escape, slot_of)]))
    texts: list[str] = []
    slots: list[str] = []
    start = 0
    for match in pattern.finditer(marked):
        texts.append(marked[start : match.start()])
        slots.append(slot_of.get(match.group(), CSRF))
        start = match.end()
    texts.append(marked[start:])
    missing = set(names) - set(slots)
    if missing:
        raise ValueError(f"the page does not show {sorted(missing)}")
    return tuple(texts), tuple(slots)
