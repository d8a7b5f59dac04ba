"""Django's ``salted_hmac`` with its key worked out once per salt, for the per-request hashes.

``salted_hmac`` hashes the salt and the secret key into the HMAC's key, and HMAC hashes that key
twice more to start, on every call. A voice sent costs four of them (the client's counter, the
idempotency key, the voice, the receipt), each under a salt fixed in the code. :func:`salted_hmac`
here keeps the started HMAC per salt, secret and algorithm and copies it for each value: the same
digest as Django's (and a new secret key, as in a settings change, is another entry).
"""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import InvalidAlgorithm
from django.utils.encoding import force_bytes

# Salts fixed in the code, each under one secret and algorithm: far fewer than this.
_STARTED_MAX = 64


@lru_cache(maxsize=_STARTED_MAX)
def _started(key_salt: str, secret: str, algorithm: str) -> "hmac.HMAC":
    try:
        hasher = getattr(hashlib, algorithm)
    except AttributeError as error:
        raise InvalidAlgorithm(
            f"{algorithm} is not an algorithm accepted by the hashlib module."
        ) from error
    key = hasher(force_bytes(key_salt) + force_bytes(secret)).digest()
    return hmac.new(key, digestmod=hasher)


def salted_hmac(key_salt: str, value: str | bytes, *, algorithm: str = "sha1") -> "hmac.HMAC":
    """Return the HMAC of ``value`` under ``key_salt`` and the secret key: Django's
    ``salted_hmac(key_salt, value, algorithm=algorithm)``."""
    mac = _started(key_salt, settings.SECRET_KEY, algorithm).copy()
    mac.update(force_bytes(value))
    return mac
