"""Gunicorn's access log without anything that could identify a submitter or open a case.

Client addresses and user agents are blanked, and receipt codes in API paths
(``/api/v1/receipts/<code>``) are replaced by ``…``, whatever log format is configured.
"""

import re
from typing import Any

from gunicorn.glogging import Logger

RECEIPT_IN_PATH = re.compile(r"(/receipts/)[^/\s?]+")


def redact(text: str | None) -> str | None:
    """Return ``text`` with any receipt code in a path replaced by an ellipsis."""
    return RECEIPT_IN_PATH.sub(r"\1…", text) if text else text


SAFE_ATOMS = ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")


class PrivateAccessLogger(Logger):
    """An access logger that never writes addresses, user agents or receipt codes.

    Only the time, method, path (redacted), status, size and duration are kept; every other
    atom a log format may name (addresses, headers, environment) is blanked.
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        full = super().atoms(resp, req, environ, request_time)
        atoms: dict[str, Any] = dict.fromkeys(full, "-")
        atoms.update({key: full[key] for key in SAFE_ATOMS if key in full})
        atoms["r"] = redact(full.get("r"))
        atoms["U"] = redact(full.get("U"))
        return atoms
