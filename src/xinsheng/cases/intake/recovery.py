"""Recovering lost receipt codes: a named, verified submitter proves they hold the contact they
gave, with a one-time code sent there, and gets fresh codes for their cases.

Receipt codes are stored as hashes only, so a lost one cannot be shown again: recovery issues a
fresh code for each of the submitter's cases and **the old code stops working** (the case keeps
one receipt hash). Which cases may be recovered: the named cases whose employee number and name
were verified against the people of the enterprise when they came in (``SubmitterCheck``) and that
hold a contact. Nothing on the way tells whether an employee number exists: asking always answers
the same, and a one-time code is sent only where there is something to recover.

The one-time code lives in the cache for ``CODE_SECONDS`` as a keyed hash under a keyed hash of
the employee number, and allows ``TRIES`` wrong guesses; a number's contact gets at most one code
every ``RESEND_SECONDS``, and the public pages' rate limit counts every request besides
(``limits.RECOVER``).
"""

import hmac
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xinsheng.cases.choices import SubmitterCheck
from xinsheng.cases.intake import contact, receipts
from xinsheng.cases.models import Case
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput
from xinsheng.org.validation import clean_employee_no

CODE_SECONDS = 10 * 60
RESEND_SECONDS = 60  # a number's contact gets at most one code a minute, whoever asks
CODE_DIGITS = 6
TRIES = 5
_SALT = "xinsheng.cases.intake.recovery"


@dataclass(frozen=True)
class Reissued:
    """A case of the submitter with its fresh receipt code."""

    case: Case
    receipt_code: str


def _cache_key(employee_no: str) -> str:
    return "xinsheng:recover:" + salted_hmac(_SALT, employee_no, algorithm="sha256").hexdigest()


def _code_hash(employee_no: str, code: str) -> str:
    return salted_hmac(_SALT, f"{employee_no}:{code}", algorithm="sha256").hexdigest()


def _employee_no(value: str) -> str:
    if not value.strip():
        message = _("请填写工号。")
        raise InvalidInput(message, fields={"employee_no": [message]})
    try:
        return clean_employee_no(value)
    except InvalidInput:
        message = _("请填写正确的工号。")
        raise InvalidInput(message, fields={"employee_no": [message]}) from None


def recoverable_cases(employee_no: str) -> list[Case]:
    """Return the cases of ``employee_no`` whose codes may be recovered, newest first."""
    cases = Case.objects.filter(
        is_anonymous=False,
        submitter_employee_no=employee_no,
        submitter_check=SubmitterCheck.VERIFIED,
    ).order_by("-created_at", "-id")
    return [case for case in cases if contact.contact_of(case)]


def recovery_code_send(employee_no: str) -> None:
    """Send a one-time code to the contact the submitter ``employee_no`` last gave, if they have
    cases to recover; do nothing otherwise (the caller answers the same either way)."""
    employee_no = _employee_no(employee_no)
    cases = recoverable_cases(employee_no)
    held = cache.get(_cache_key(employee_no))
    if not cases or (held and time.time() - float(held.get("sent", 0)) < RESEND_SECONDS):
        return
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    cache.set(
        _cache_key(employee_no),
        {"hash": _code_hash(employee_no, code), "tries": 0, "sent": time.time()},
        timeout=CODE_SECONDS,
    )
    text = _(
        "您正在找回心声查询码，验证码 %(code)s，%(minutes)s分钟内有效。如非本人操作，请忽略。"
    ) % {
        "code": code,
        "minutes": CODE_SECONDS // 60,
    }
    contact.secret_send_later(cases[0], _("找回查询码的验证码"), text)


@transaction.atomic
def recovery_confirm(employee_no: str, code: str) -> list[Reissued]:
    """Return fresh receipt codes for the cases of ``employee_no`` if ``code`` is the one-time code
    sent for it; the cases' old codes stop working. Raise ``InvalidInput`` otherwise."""
    employee_no = _employee_no(employee_no)
    key = _cache_key(employee_no)
    held = cache.get(key)
    typed = "".join(ch for ch in code if ch.isdigit())
    if held is None or not hmac.compare_digest(held["hash"], _code_hash(employee_no, typed)):
        if held is not None:
            tries = int(held["tries"]) + 1
            if tries >= TRIES:
                cache.delete(key)
            else:
                cache.set(key, {**held, "tries": tries}, timeout=CODE_SECONDS)
        message = _("验证码不正确或已过期，请核对，或重新获取验证码。")
        raise InvalidInput(message, fields={"code": [message]})
    cache.delete(key)  # once only
    reissued = []
    for case in recoverable_cases(employee_no):
        fresh = receipts.receipt_new()
        case.receipt_hash = receipts.receipt_hash(fresh)
        case.save(update_fields=["receipt_hash", "updated_at"])
        audit_record(actor=None, action="case.receipt_reissued", obj=case)
        reissued.append(Reissued(case, fresh))
    return reissued
