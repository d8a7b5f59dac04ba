"""Idempotency keys of the public intake: a retried submission gets the first answer back.

A client (the phone form's hidden ``intake_key``, the API's ``Idempotency-Key`` header) may send
a key with a voice. The key is scoped to the unit and bound to the voice it was first sent with:

- The stored **key hash** is HMAC-SHA256 under the secret key of the unit's code and the key
  (``key_hash``). The key itself is never stored, and the same key at another unit is another
  key. The unit is named by its code because that is how the client names it, and because the
  one-statement intake on PostgreSQL (``insert.py``) knows only the code before it writes.
- The stored **body hash** is HMAC-SHA256 under the secret key of a canonical JSON of the voice
  (``body_hash``): the unit's code, the kind, the title, the text, whether anonymous, the name,
  employee number and phone when named (empty when anonymous: they are not kept, so they are not
  part of the voice), the number of the case supported (empty for a new voice) and the SHA-256
  of each photo's bytes, in the order sent. Strings are taken as sent, without surrounding
  whitespace; the JSON has sorted keys, no spaces and UTF-8 text. Keyed, so that the stored
  hash allows no guessing of what it covers. (Intake sets no category: the dispatcher does.)
- The **receipt code** of a keyed voice is derived from both hashes (``receipt_for``), under
  the secret key: the same key with the same voice gives the same code, so a retry shows it
  again without the code being stored; a key sent with another voice cannot produce it.

The same key with another voice is refused (``IntakeKeyReused``, 422) and nothing is written.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xinsheng.cases.intake import receipts
from xinsheng.core.errors import XinshengError
from xinsheng.core.keyed_hashes import salted_hmac

KEY_MAX = 100  # characters of a key that count; the API refuses longer ones

_KEY_SALT = "xinsheng.cases.intake.idempotency.key"
_BODY_SALT = "xinsheng.cases.intake.idempotency.body"
_RECEIPT_SALT = "xinsheng.cases.intake.idempotency.receipt"


class IntakeKeyReused(XinshengError):
    """The idempotency key was sent before with another voice; nothing was written."""

    code = "idempotency_key_reused"
    status = 422
    default_message = _(
        "该提交标识已用于内容不同的另一次提交，本次未受理。提交新的诉求请使用新的提交标识。"
    )


def key_clean(key: str | None) -> str | None:
    """Return the key as it counts (trimmed, at most ``KEY_MAX`` characters), or None."""
    return (key or "").strip()[:KEY_MAX] or None


def key_hash(unit_code: str, key: str) -> str:
    """Return the stored hash of ``key`` at the unit ``unit_code`` (64 hex digits)."""
    value = f"{unit_code.strip()}\x00{key}"
    return salted_hmac(_KEY_SALT, value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Voice:
    """What a submission says: the fields the body hash covers."""

    unit_code: str
    kind: str = ""
    title: str = ""
    text: str = ""
    anonymous: bool = True
    name: str = ""
    employee_no: str = ""
    phone: str = ""
    email: str = ""
    support: str = ""
    photos: tuple[str, ...] = ()  # SHA-256 of each photo's bytes, hex

    @staticmethod
    def photo_digests(photos: Iterable[bytes]) -> tuple[str, ...]:
        """Return the digests of ``photos`` as ``Voice.photos`` holds them."""
        return tuple(hashlib.sha256(photo).hexdigest() for photo in photos)

    def canonical(self) -> bytes:
        """Return the canonical JSON of the voice, as UTF-8."""
        named = not self.anonymous
        document = {
            "unit": self.unit_code.strip(),
            "kind": self.kind.strip(),
            "title": self.title.strip(),
            "text": self.text.strip(),
            "anonymous": self.anonymous,
            "name": self.name.strip() if named else "",
            "employee_no": self.employee_no.strip() if named else "",
            "phone": self.phone.strip() if named else "",
            "support": self.support.strip(),
            "photos": list(self.photos),
        }
        if named and self.email.strip():  # absent otherwise: hashes made before it still match
            document["email"] = self.email.strip()
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.encode()


def body_hash(voice: Voice) -> str:
    """Return the stored hash of ``voice`` (64 hex digits)."""
    return salted_hmac(_BODY_SALT, voice.canonical(), algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Claim:
    """A keyed submission: the hashes stored with its case, and its receipt code."""

    key_hash: str
    body_hash: str

    def receipt(self) -> str:
        """Return the receipt code of the submission (the same for every retry of it)."""
        return receipt_for(self.key_hash, self.body_hash)


def claim_for(key: str | None, voice: Voice) -> Claim | None:
    """Return the claim of ``voice`` sent with ``key``, or None without a key."""
    key = key_clean(key)
    if key is None:
        return None
    return Claim(key_hash(voice.unit_code, key), body_hash(voice))


def receipt_for(key_hash: str, body_hash: str) -> str:
    """Return the receipt code derived from a key hash and a body hash, under the secret key."""
    value = f"{key_hash}:{body_hash}"
    digest = salted_hmac(_RECEIPT_SALT, value, algorithm="sha256").digest()
    number = int.from_bytes(digest[:13], "big")
    raw = "".join(receipts.ALPHABET[(number >> (5 * i)) & 31] for i in range(receipts.LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, receipts.LENGTH, 4))
