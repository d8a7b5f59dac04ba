"""Background tasks of the core app."""

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django_tasks import task

from xinsheng.core.models import Notification


@task()
def notifications_send(*, user_ids: list[int], kind: str, text: str, url: str) -> int:
    """Store a notification for each user and mail those with an address; return how many."""
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, text=text, url=url) for user in users]
    )
    for user in users:
        if user.email:
            send_mail(
                subject=f"[心声] {text[:60]}",
                message=f"{text}\n\n{url}".strip(),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
    return len(users)
