"""Files of proposals: photos and documents, checked before anything is written.

Photos go through ``core.photos`` (re-encoded, no metadata). Documents are PDF, Word (.docx),
Excel (.xlsx) or PowerPoint (.pptx), recognised by their content, never by the name they came
with: a PDF by its header, the Office formats by the main part their package declares (a
macro-enabled file or a template is refused). They are stored under a random name; the name
they were uploaded with is kept to show and to offer on download.

``attachments_clean`` checks every file of an upload before the first is stored, so a bad file
refuses the whole upload with a clear message and nothing written.
"""

import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from xinsheng.core.photos import CleanPhoto, photo_clean
from xinsheng.proposals.models import Proposal, ProposalDocument, ProposalPhoto
from xinsheng.proposals.validation import refuse

MAX_PHOTOS = 6  # per proposal (the messages say the numbers)
MAX_DOCUMENTS = 5  # per proposal
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = "image/jpeg,image/png,image/webp"
DOCUMENT_TYPES = ".pdf,.docx,.xlsx,.pptx"
NAME_MAX = 100
# [Content_Types].xml of a real document is a few kilobytes; a bigger one is not read.
CONTENT_TYPES_MAX = 256 * 1024


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    main_part: str = ""  # the content type of an Office package's main part


PDF = Kind("pdf", "application/pdf")
OFFICE = (
    Kind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    Kind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    Kind(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
)


@dataclass(frozen=True)
class CleanDocument:
    """A document ready to store: its bytes under a random name, and the name shown."""

    content: ContentFile[bytes]
    name: str
    kind: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Attachments:
    """The checked files of one upload."""

    photos: list[CleanPhoto] = field(default_factory=list)
    documents: list[CleanDocument] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.photos or self.documents)


def _office_kind(data: bytes) -> Kind | None:
    """Return the Office format of the package ``data``, or None when it is none of ours."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            declared = package.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    for kind in OFFICE:
        if f'ContentType="{kind.main_part}"' in declared:
            return kind
    return None


def document_kind(data: bytes) -> Kind | None:
    """Return what ``data`` is by its content (PDF or an Office format), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _shown_name(uploaded: str, kind: Kind) -> str:
    """Return the name to show: the uploaded one without folders or control characters, with
    the extension of what the file really is."""
    base = re.split(r"[\\/]", uploaded or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    stem = base.rsplit(".", 1)[0].strip() if "." in base else base
    stem = stem[: NAME_MAX - len(kind.extension) - 1].strip() or _("附件")
    return f"{stem}.{kind.extension}"


def document_clean(data: bytes, uploaded_name: str) -> CleanDocument:
    """Return ``data`` ready to store; ``InvalidInput`` unless it is one of the documents taken."""
    shown = (uploaded_name or "").strip()[:NAME_MAX]
    if len(data) > MAX_DOCUMENT_BYTES:
        raise refuse(
            "documents",
            _("文件“%(name)s”超过10MB，未能上传。") % {"name": shown},
        )
    kind = document_kind(data)
    if kind is None:
        raise refuse(
            "documents",
            _(
                "文件“%(name)s”不是 PDF、Word（.docx）、Excel（.xlsx）或 PowerPoint（.pptx）"
                "文件，未能上传。"
            )
            % {"name": shown},
        )
    stored = f"{secrets.token_hex(16)}.{kind.extension}"
    return CleanDocument(
        content=ContentFile(data, name=stored),
        name=_shown_name(uploaded_name, kind),
        kind=kind.extension,
        content_type=kind.content_type,
        size=len(data),
    )


def counts_check(photos: int, documents: int) -> None:
    """Refuse a proposal that would hold more photos or documents than it may."""
    if photos > MAX_PHOTOS:
        raise refuse("photos", _("每条建议最多6张照片。"))
    if documents > MAX_DOCUMENTS:
        raise refuse("documents", _("每条建议最多5个文件。"))


def attachments_clean(
    *,
    photos: list[bytes],
    documents: list[tuple[str, bytes]],
    photos_before: int = 0,
    documents_before: int = 0,
) -> Attachments:
    """Check every file of an upload (with what the proposal already has) before any is stored."""
    counts_check(photos_before + len(photos), documents_before + len(documents))
    return Attachments(
        photos=[photo_clean(data) for data in photos],
        documents=[document_clean(data, name) for name, data in documents],
    )


def attachments_store(proposal: Proposal, attachments: Attachments) -> None:
    """Store checked ``attachments`` for ``proposal`` (inside the caller's transaction)."""
    for photo in attachments.photos:
        ProposalPhoto.store(photo, proposal=proposal)
    for document in attachments.documents:
        ProposalDocument.objects.create(
            proposal=proposal,
            file=document.content,
            name=document.name,
            kind=document.kind,
            content_type=document.content_type,
            size=document.size,
        )
