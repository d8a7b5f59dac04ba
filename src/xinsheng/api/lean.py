"""What the public JSON write endpoints set up once per process instead of once per request.

DRF builds a serializer's fields afresh for every instance (a deep copy of each declared field,
which makes its validators again) and parses the ``Accept`` header of every request. For the
endpoints many employees call at once (a voice sent to the intake, a quiz attempt started or
submitted, a survey answered) that is a good part of the request's own work; here it is done
once:

- ``FieldsBoundOnce``: a serializer whose fields are copied and bound once per class and then
  shared by all its instances. A field keeps nothing of the data it validates, with one
  exception: DRF formats the messages of its length and range validators lazily and keeps the
  first result, in the language of the first request that showed one; those messages are
  replaced by ones formatted each time they are shown. A nested serializer keeps the data it
  validates, so a serializer with one is refused. The fields see no serializer context.
- ``LeanAPIView``: a view that picks its one JSON renderer without parsing an ``Accept`` header
  that asks for JSON or for anything, and that authenticates nobody when it has no
  authentication classes (``request.user`` is then the anonymous user, when read).
- ``LeanJSONParser``: DRF's JSON parser with its decoder made once. DRF reads every body with
  ``json.load(…, parse_constant=…)``, and ``json`` builds a new decoder (and its scanner) for
  every call given an option.

The rules, messages, status codes, bodies and the OpenAPI schema stay those of plain DRF.
"""

import copy
import json
from collections.abc import Mapping
from typing import IO, Any, ClassVar

from django.conf import settings
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.utils.formatting import lazy_format
from rest_framework.utils.json import strict_constant
from rest_framework.utils.serializer_helpers import BindingDict
from rest_framework.views import APIView


class _FormattedEachTime:
    """A validator message formatted whenever it is shown (in the language of that request)."""

    __slots__ = ("args", "kwargs", "template")

    def __init__(self, template: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.template = template
        self.args = args
        self.kwargs = kwargs

    def __str__(self) -> str:
        return str(self.template).format(*self.args, **self.kwargs)

    def __mod__(self, params: Any) -> str:  # Django's ValidationError fills in its parameters
        return str(self) % params  # type: ignore[no-any-return]


def _message_kept_fresh(validator: Any) -> Any:
    """Return ``validator``, or a copy of it whose lazily formatted message is never kept."""
    message = getattr(validator, "message", None)
    if not isinstance(message, lazy_format):
        return validator
    if message.format_string is None:  # shown once already: the template is gone
        raise TypeError(f"{validator!r} was formatted before its field was shared")
    fresh = copy.copy(validator)
    fresh.message = _FormattedEachTime(
        message.format_string, tuple(message.args or ()), dict(message.kwargs or {})
    )
    return fresh


def _made_shareable(field: serializers.Field[Any, Any, Any, Any], where: str) -> None:
    """Make ``field`` (and its child) safe to share between requests, or refuse it."""
    if isinstance(field, serializers.BaseSerializer):
        raise TypeError(f"{where}: a nested serializer keeps the data it validates")
    field.validators = [_message_kept_fresh(v) for v in field.validators]
    child = getattr(field, "child", None)
    if child is not None:
        _made_shareable(child, f"{where}.child")


# A flat serializer whose fields are built once per class and shared by its instances. It
# validates exactly as a plain serializer with the same declared fields does; only the copy of
# the fields per instance is saved. (No docstring: the OpenAPI schema would show it as the
# description of every body without one of its own.)
class FieldsBoundOnce(serializers.Serializer[Any]):
    _fields_bound_once: ClassVar[BindingDict]

    @property
    def fields(self) -> BindingDict:
        cls = type(self)
        bound: BindingDict | None = cls.__dict__.get("_fields_bound_once")
        if bound is None:
            bound = _fields_bound(cls)
            cls._fields_bound_once = bound  # on this class itself: a subclass binds its own
        return bound


def _fields_bound(cls: type[FieldsBoundOnce]) -> BindingDict:
    """Return the fields of ``cls``, bound to an instance that never validates anything."""
    holder = cls()
    fields = BindingDict(holder)
    for name, field in holder.get_fields().items():
        _made_shareable(field, f"{cls.__name__}.{name}")
        fields[name] = field
    return fields


class LeanAPIView(APIView):
    """An endpoint answering JSON with less work per request than a plain ``APIView``."""

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        """Return the JSON renderer at once when the client takes JSON or anything; otherwise
        negotiate as DRF does (which refuses a client taking neither)."""
        renderers = self.renderer_classes
        if len(renderers) == 1 and not getattr(self, "format_kwarg", None):
            renderer = renderers[0]
            accept = request.META.get("HTTP_ACCEPT", "*/*").strip()
            if (
                renderer.media_type == "application/json"
                and accept in ("*/*", "application/json")
                and "format" not in request.META.get("QUERY_STRING", "")
            ):
                return renderer(), renderer.media_type
        return super().perform_content_negotiation(request, force)

    def perform_authentication(self, request: Request) -> None:
        """Authenticate as DRF does, unless there is nobody to authenticate (no authentication
        classes): then ``request.user`` is the anonymous user whenever it is read."""
        if self.authentication_classes:
            super().perform_authentication(request)


# DRF's two ways of reading JSON: strict (``NaN`` and ``Infinity`` refused, its default) or not.
_STRICT = json.JSONDecoder(parse_constant=strict_constant)
_LOOSE = json.JSONDecoder()


class LeanJSONParser(JSONParser):
    """DRF's ``JSONParser`` with a decoder made once per process: the same data, the same
    errors (``ParseError``, "JSON parse error - …")."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            if text.startswith("\ufeff"):  # as ``json.loads`` refuses it
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
            return (_STRICT if self.strict else _LOOSE).decode(text)
        except ValueError as error:  # a decoding error too
            raise ParseError(f"JSON parse error - {error}") from error
