"""Telling a named submitter about their case, at the mobile number or e-mail address they gave.

Only a named submitter may leave a contact (``Case.submitter_phone``, ``Case.submitter_email``); an
anonymous case never holds one, and only the employee's own submission (channel QR: the form or the
API) is told — a number written down by a recorder was given for a call-back. They are told when
their case is rejected, dispatched, answered and closed (unless they closed it themselves by
rating), and the submitters of the cases merged into it likewise; a text message goes to a mobile
number only, through ``core.sms``, and e-mail through Django's mail.

Nothing is sent inside a request: the writing transaction schedules a task after it commits. The
task reads the address from the case when it runs, so that no address is written to the task queue.
A message holding a secret (a receipt code, a one-time code) is handed to the task through the cache
under a random key and deleted once read, so that it is never stored in the task queue's table
either.
"""

import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from xinsheng.cases.choices import CaseStatus, Channel, CloseReason, EventKind
from xinsheng.cases.models import Case
from xinsheng.core.errors import InvalidInput
from xinsheng.core.notifications import notifications_are_suppressed
from xinsheng.core.sms import sms_send

logger = logging.getLogger(__name__)

EMAIL_MAX = 100
MOBILE = re.compile(r"^1\d{10}$")
HANDOFF_SECONDS = 3600  # how long a secret message waits in the cache for its task
# The milestones a submitter is told of, and the states in which each is still news.
TOLD = {
    EventKind.REJECTED: {CaseStatus.REJECTED},
    EventKind.DISPATCHED: {CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS},
    EventKind.ANSWERED: {CaseStatus.ANSWERED},
    EventKind.CLOSED: {CaseStatus.CLOSED},
}


@dataclass(frozen=True)
class Contact:
    """Where a named submitter can be told: a mobile number, an e-mail address, or both."""

    mobile: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.mobile or self.email)

    def shown(self) -> str:
        """Return the contact as the submitter may be reminded of it, mostly hidden."""
        parts = []
        if self.mobile:
            parts.append(_("尾号%(end)s的手机") % {"end": self.mobile[-4:]})
        if self.email:
            name, _at, domain = self.email.partition("@")
            parts.append(f"{name[:1]}***@{domain}")
        return " / ".join(parts)


def clean_email(value: object) -> str:
    """Return an e-mail address, trimmed, or "" when none was given; raise ``InvalidInput``."""
    email = str(value or "").strip()
    if not email:
        return ""
    message = ""
    if len(email) > EMAIL_MAX:
        message = _("电子邮箱不能超过100个字符。")
    else:
        try:
            validate_email(email)
        except ValidationError:
            message = _("电子邮箱格式不正确，例如 zhangsan@example.com。")
    if message:
        raise InvalidInput(message, fields={"email": [message]})
    return email


def contact_of(case: Case) -> Contact:
    """Return where ``case``'s submitter asked to be told: only on their own submission (a
    number a recorder wrote down in the notebook was given for a call-back, not for messages),
    and nothing when anonymous."""
    if case.is_anonymous or case.channel != Channel.QR:
        return Contact()
    mobile = case.submitter_phone if MOBILE.match(case.submitter_phone) else ""
    return Contact(mobile=mobile, email=case.submitter_email)


def _follow_url() -> str:
    base = str(settings.XINSHENG.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + reverse("public:receipt")


def _deliver(contact: Contact, subject: str, text: str) -> None:
    """Send ``text`` by SMS and e-mail as ``contact`` allows; a failure is logged, not raised."""
    if contact.mobile:
        try:
            sms_send(contact.mobile, f"【心声】{text}")
        except Exception:
            logger.exception("text message to a submitter failed")
    if contact.email:
        try:
            send_mail(
                subject=f"[心声] {subject}",
                message=text,
                from_email=None,
                recipient_list=[contact.email],
            )
        except Exception:
            logger.exception("e-mail to a submitter failed")


# --- milestones -----------------------------------------------------------------------------------


def milestone_tell_later(case: Case, kind: str, data: dict[str, object] | None = None) -> None:
    """Tell ``case``'s submitter (and those of the cases merged into it) of the event ``kind``
    just written, once the transaction commits; nothing for other kinds or in bulk jobs."""
    if kind not in TOLD or notifications_are_suppressed():
        return
    if kind == EventKind.CLOSED and (data or {}).get("reason") == CloseReason.RATED:
        return  # they closed it themselves
    case_id = case.pk
    transaction.on_commit(lambda: milestone_tell.enqueue(case_id=case_id, kind=kind))


def milestone_text(case: Case, kind: str) -> tuple[str, str]:
    """Return the subject and text telling ``case``'s submitter of ``kind``."""
    no, url = case.case_no, _follow_url()
    if kind == EventKind.REJECTED:
        subject = _("诉求 %(no)s 不予受理") % {"no": no}
        text = _("您反映的诉求 %(no)s 不予受理，原因可凭查询码查看：%(url)s")
    elif kind == EventKind.DISPATCHED:
        subject = _("诉求 %(no)s 已派单办理") % {"no": no}
        text = _("您反映的诉求 %(no)s 已交承办单位办理，可凭查询码查看进度：%(url)s")
    elif kind == EventKind.ANSWERED:
        subject = _("诉求 %(no)s 已答复") % {"no": no}
        text = _("您反映的诉求 %(no)s 已答复，请凭查询码查看答复并评价：%(url)s")
    else:
        subject = _("诉求 %(no)s 已办结") % {"no": no}
        text = _("您反映的诉求 %(no)s 已办结，可凭查询码查看：%(url)s")
    return subject, text % {"no": no, "url": url}


@task()
def milestone_tell(*, case_id: int, kind: str) -> int:
    """Tell the submitters following case ``case_id`` of ``kind``, unless the case has moved on
    since (a later milestone tells them instead); return how many were told."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or case.status not in TOLD.get(EventKind(kind), set()):
        return 0
    told = 0
    followers = [case, *Case.objects.filter(merged_into=case, is_anonymous=False)]
    for follower in followers:
        contact = contact_of(follower)
        if contact:
            subject, text = milestone_text(follower.followed_case, kind)
            if follower.pk != case.pk:
                text = _("（您附议或被合并的诉求 %(no)s）") % {"no": follower.case_no} + text
            _deliver(contact, subject, text)
            told += 1
    return told


# --- secrets: a receipt code sent to oneself, a one-time code -------------------------------------


def secret_send_later(case: Case, subject: str, text: str) -> None:
    """Send ``text``, which holds a secret, to ``case``'s submitter once the transaction commits
    (at once outside one); the text waits in the cache, never in the task queue."""
    handoff = f"xinsheng:contact:{secrets.token_urlsafe(18)}"
    cache.set(handoff, {"subject": subject, "text": text}, timeout=HANDOFF_SECONDS)
    case_id = case.pk
    transaction.on_commit(lambda: secret_send.enqueue(case_id=case_id, handoff=handoff))


@task()
def secret_send(*, case_id: int, handoff: str) -> bool:
    """Send the message waiting under ``handoff`` to case ``case_id``'s submitter, once."""
    message = cache.get(handoff)
    cache.delete(handoff)
    case = Case.objects.filter(pk=case_id).first()
    if message is None or case is None:
        return False
    contact = contact_of(case)
    if contact:
        _deliver(contact, str(message["subject"]), str(message["text"]))
    return bool(contact)
