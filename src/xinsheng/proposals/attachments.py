"""Adding files to a proposal from its staff page: photos and documents, checked by
``files`` before anything is written."""

from django.db import transaction
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Forbidden
from xinsheng.org import permissions
from xinsheng.proposals.choices import EventKind
from xinsheng.proposals.files import (
    Attachments,
    attachments_clean,
    attachments_store,
    counts_check,
)
from xinsheng.proposals.models import Proposal
from xinsheng.proposals.services import MANAGE, RECORD, event_add
from xinsheng.proposals.validation import refuse


def may_attach(actor: Actor, proposal: Proposal) -> bool:
    """Return whether ``actor`` may add files to ``proposal`` (its recorders and managers)."""
    return permissions.may(actor, RECORD, proposal.unit) or permissions.may(
        actor, MANAGE, proposal.window.unit
    )


def attachments_add(
    *,
    actor: Actor,
    proposal: Proposal,
    photos: list[bytes],
    documents: list[tuple[str, bytes]],
) -> Attachments:
    """Add photos and documents to ``proposal``; a bad file refuses them all, nothing written.

    The files are checked (photos decoded) before the transaction, so that it stays short.
    """
    if not may_attach(actor, proposal):
        raise Forbidden()
    if not photos and not documents:
        raise refuse("documents", _("请选择要上传的照片或文件。"))
    checked = attachments_clean(
        photos=photos,
        documents=documents,
        photos_before=proposal.photos.count(),
        documents_before=proposal.documents.count(),
    )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().select_related("window").get(pk=proposal.pk)
        if not may_attach(actor, locked):
            raise Forbidden()
        # Counted again under the lock: two uploads at once do not pass the limits together.
        counts_check(
            locked.photos.count() + len(checked.photos),
            locked.documents.count() + len(checked.documents),
        )
        attachments_store(locked, checked)
        names = [document.name for document in checked.documents]
        event_add(
            locked,
            EventKind.ATTACHED,
            actor=actor,
            public=False,
            note="、".join(names),
            data={"photos": len(checked.photos), "documents": names},
        )
        audit_record(
            actor=actor,
            action="proposal.attach",
            obj=locked,
            after={"photos": len(checked.photos), "documents": names},
        )
    return checked
