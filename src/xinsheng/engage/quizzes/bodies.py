"""The JSON bodies of the public quiz endpoints, read without DRF's parsers and fields when
they are plain.

Starting and submitting an attempt are the requests many employees send at once. DRF finds
the parser of a body by its media type, decodes it through a stream reader, and validates it
field by field through the serializer's machinery; for a body that is plain (a JSON object
sent as ``application/json``, with fields of the expected types) that is most of the view's
own work. Here such a body is read directly, to the same values the serializer gives; anything
else (another media type, JSON the parser refuses, a missing, empty, too long or wrongly typed
field) returns None, and the caller goes through the serializer, which answers with its usual
errors.
"""

import json
import re
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.utils.json import strict_constant

PLAIN_MAX_BYTES = 16 * 1024  # more than any real attempt sends; larger bodies take DRF's way
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body(request: Request) -> Any:
    """Return the request's body as DRF's ``JSONParser`` reads it (``request.data``)."""
    raw = request._request
    meta = raw.META
    if meta.get("CONTENT_TYPE") == "application/json" and not raw._read_started:  # type: ignore[attr-defined]
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if 0 < length <= PLAIN_MAX_BYTES:
            try:  # what the parser does: decode with the request's charset, no NaN or Infinity
                text = raw.body.decode(raw.encoding or settings.DEFAULT_CHARSET)
                return json.loads(text, parse_constant=strict_constant)
            except ValueError:  # DRF reads the body again and gives its own error
                pass
    return request.data


def plain_text(value: object, max_length: int) -> str | None:
    """Return ``value`` as a DRF ``CharField`` of ``max_length`` (not blank, whitespace
    trimmed) validates it, or None when it is not a string the field takes as it is."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > max_length or "\x00" in text:
        return None
    if not text.isascii() and _SURROGATE.search(text):
        return None
    return text


def plain_answers(data: object) -> dict[str, Any] | None:
    """Return the ``answers`` object of ``data`` as the submission's ``DictField`` validates
    it, or None when ``data`` is not an object holding one."""
    if not isinstance(data, dict):
        return None
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return None
    return {str(key): value for key, value in answers.items()}
