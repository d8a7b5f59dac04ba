"""Receipt codes (查询码): what a submitter keeps to follow a case; only their hash is stored.

A code is 20 characters of Crockford base32 (100 bits), shown in groups of four. Reading is
forgiving: case, spaces, dashes, and the letters people confuse with digits (O, I, L) are folded.
"""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 20
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def receipt_new() -> str:
    """Return a fresh receipt code, formatted for reading: XXXX-XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def receipt_normalise(code: str) -> str:
    """Return ``code`` as typed, folded to its canonical form (may be invalid)."""
    return "".join(ch for ch in code.upper() if ch.isalnum()).translate(_FOLD)


def receipt_hash(code: str) -> str | None:
    """Return the stored hash of ``code``, or None when it cannot be a receipt code."""
    canonical = receipt_normalise(code)
    if len(canonical) != LENGTH or any(ch not in ALPHABET for ch in canonical):
        return None
    return hashlib.sha256(canonical.encode()).hexdigest()


def receipt_groups(code: str) -> list[str]:
    """Return ``code`` in its groups of four, as it is shown and printed."""
    canonical = receipt_normalise(code)
    return [canonical[i : i + 4] for i in range(0, len(canonical), 4)]
