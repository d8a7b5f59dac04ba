"""Client keys of talk records: a record sent again (a retry on a poor signal) is the same record.

The phone form makes a random key when a record is started and sends it with the record, every
time it is sent; the API takes it from the ``Idempotency-Key`` header. The server keeps only a
keyed hash of it (HMAC-SHA256 under the secret key of the recording account and the key), so
the key itself is never stored and the same key sent by another account is another key.
"""

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput

KEY_MAX = 100
_SALT = "xinsheng.talks.records.client_key"


def key_clean(key: str | None, *, field: str = "client_key") -> str | None:
    """Return the key as it counts, or None without one; ``InvalidInput`` when malformed."""
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        message = _("记录标识须为不超过100个可打印 ASCII 字符。")
        raise InvalidInput(message, fields={field: [message]})
    return key


def key_hash(actor: Actor, key: str) -> str:
    """Return the stored hash of ``key`` sent by ``actor`` (64 hex digits)."""
    return salted_hmac(_SALT, f"{actor.pk}\x00{key}", algorithm="sha256").hexdigest()


_ROW_SALT = "xinsheng.talks.records.imported_row"


def row_hash(canonical: str) -> str:
    """Return the stored key of an imported row: a keyed hash of what the row says, so that
    importing the same historical record twice writes it once."""
    return salted_hmac(_ROW_SALT, canonical, algorithm="sha256").hexdigest()
