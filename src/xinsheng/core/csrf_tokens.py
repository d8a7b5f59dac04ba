"""CSRF tokens for the public pages, drawn with one read of the system's random source.

Django's ``get_token`` draws every character of a new secret and of each token's mask with its
own ``secrets.choice``: 32 reads of the system's random source per mask, 64 for a first visit.
Every phone that opens the intake form, and every voice it sends, pays for that. :func:`get_token`
here is Django's, step for step (the same cookie secret, the same ``CSRF_COOKIE_NEEDS_UPDATE``
flag, a token of a fresh mask and the secret shifted by it), but draws the 32 characters of a
secret or a mask from one read of ``os.urandom`` (the source ``secrets`` reads), dropping the
bytes that would make some characters likelier: each character is as uniform and independent
as ``secrets.choice`` makes it. Django's ``CsrfViewMiddleware`` checks the tokens as it checks
its own.
"""

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)
# Each allowed character's byte to its index, and the sum of two indexes (0–122) to the
# character at that sum modulo 62.
_INDEX_OF_CHAR = bytes(
    CSRF_ALLOWED_CHARS.index(chr(byte)) if chr(byte) in CSRF_ALLOWED_CHARS else 0
    for byte in range(256)
)
_CHAR_OF_SUM = bytes(ord(CSRF_ALLOWED_CHARS[total % _BASE]) for total in range(256))
# A random byte below 248 (4 × 62) names the character at its remainder by 62, each character
# by exactly four bytes; the bytes from 248 up are dropped, so that no character is likelier.
_KEPT = 256 - 256 % _BASE
_CHAR_OF_BYTE = bytes(ord(CSRF_ALLOWED_CHARS[byte % _BASE]) for byte in range(_KEPT)).ljust(256)
_DROPPED = bytes(range(_KEPT, 256))
# Bytes read at once: 32 characters need 33 of them on average; 48 fall short about once in
# 2 × 10¹³ draws, and then more are read.
_READ = 48


def new_secret() -> str:
    """Return ``CSRF_SECRET_LENGTH`` characters, each uniform over the allowed ones and
    independent of the others: a new CSRF secret, or a mask."""
    chars = b""
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += os.urandom(_READ).translate(_CHAR_OF_BYTE, _DROPPED)
    return chars[:CSRF_SECRET_LENGTH].decode("ascii")


def masked(secret: str) -> str:
    """Return a token for ``secret`` under a fresh mask, as Django's ``_mask_cipher_secret``:
    the mask, then each character of the secret shifted by the mask's character."""
    mask = new_secret()
    # The indexes of the secret and the mask added a byte at a time, as two numbers: no byte's
    # sum passes 122, so none carries into the next.
    total = int.from_bytes(secret.encode("ascii").translate(_INDEX_OF_CHAR)) + int.from_bytes(
        mask.encode("ascii").translate(_INDEX_OF_CHAR)
    )
    return mask + total.to_bytes(CSRF_SECRET_LENGTH).translate(_CHAR_OF_SUM).decode("ascii")


def get_token(request: HttpRequest) -> str:
    """Return a CSRF token for a form of ``request``; Django's ``get_token``, drawn cheaply.

    As Django's, it makes a secret when the request brought none, and flags the cookie to be
    sent (``CsrfViewMiddleware`` sends it with the response, renewing its expiry).
    """
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
    else:
        secret = request.META["CSRF_COOKIE"] = new_secret()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)
