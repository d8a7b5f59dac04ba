"""Text messages (短信) to mobile numbers, through a pluggable sender.

``settings.SMS_BACKEND`` names the sender's class by its dotted path, as Django's mail does for
e-mail. Two come with Xinsheng: ``ConsoleBackend`` writes each message to standard error (the
demo, development), ``LocmemBackend`` keeps them in ``outbox`` (tests). An installation with an
SMS gateway adds a class with the same ``send`` method and names it in ``SMS_BACKEND``; its
options are read from ``settings.SMS_OPTIONS``.

Call ``sms_send`` from background work only: a gateway may be slow or away.
"""

import sys
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

TEXT_MAX = 300  # a long message is split into several by the carrier; ours stay well below


@dataclass(frozen=True)
class TextMessage:
    """One message to one mobile number."""

    to: str
    text: str


class SmsBackend(Protocol):
    def send(self, message: TextMessage) -> None:
        """Hand ``message`` to the carrier; raise on failure."""


class ConsoleBackend:
    """Write each message to standard error instead of sending it."""

    def __init__(self, **options: Any) -> None:
        self.stream = options.get("stream") or sys.stderr

    def send(self, message: TextMessage) -> None:
        self.stream.write(f"SMS to {message.to}: {message.text}\n")
        self.stream.flush()


# What ``LocmemBackend`` was given, oldest first (tests read and clear it).
outbox: list[TextMessage] = []


class LocmemBackend:
    """Keep each message in ``outbox`` instead of sending it."""

    def __init__(self, **options: Any) -> None:
        pass

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


def sms_backend() -> SmsBackend:
    """Return the sender ``settings.SMS_BACKEND`` names, with ``settings.SMS_OPTIONS``."""
    backend: type[SmsBackend] = import_string(settings.SMS_BACKEND)
    return backend(**getattr(settings, "SMS_OPTIONS", {}))


def sms_send(to: str, text: str) -> None:
    """Send ``text`` (cut to ``TEXT_MAX`` characters) to the mobile number ``to``."""
    sms_backend().send(TextMessage(to=to, text=text[:TEXT_MAX]))
