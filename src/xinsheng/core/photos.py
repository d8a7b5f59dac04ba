"""Uploaded photos: checked by content, re-encoded without EXIF or location, and stored.

Every photo the platform keeps (sent with a case, of a project's result) goes through
:func:`photo_clean` and is stored in a model built on :class:`StoredPhoto`; each app sets only
how many it takes, where its files go and what they belong to.
"""

import io
import secrets
import threading
from dataclasses import dataclass
from typing import Any, Self

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.core.errors import InvalidInput, NotFound

MAX_BYTES = 5 * 1024 * 1024
# A JPEG is decoded at a reduced scale (its DCT allows it), so a big phone photo costs little;
# PNG and WebP must be decoded whole, and a few kilobytes of PNG can ask for 40 million pixels,
# so they are held to what a screenshot or a scan needs.
MAX_PIXELS = 50_000_000
MAX_PIXELS_DECODED_WHOLE = 16_000_000
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
LONGEST_SIDE = 2560
# Photos decoded at once in one process: a threaded worker flooded with photos keeps its memory.
DECODERS = threading.BoundedSemaphore(2)


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: new bytes, no metadata."""

    content: ContentFile[bytes]
    content_type: str
    width: int
    height: int


def photo_clean(data: bytes) -> CleanPhoto:
    """Return ``data`` re-encoded without metadata; ``InvalidInput`` unless it is a photo."""
    if len(data) > MAX_BYTES:
        too_big = _("每张照片不能超过5MB。")
        raise InvalidInput(too_big, fields={"photos": [too_big]})
    message = _("只能上传 JPEG、PNG 或 WebP 格式的照片。")
    from PIL import Image, ImageOps, UnidentifiedImageError  # only where a photo is cleaned

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS:
                raise InvalidInput(message, fields={"photos": [message]})
            _check_pixels(kind, probe.width * probe.height)
            probe.verify()
        with DECODERS, Image.open(io.BytesIO(data)) as original:
            # Shrunk first: for a JPEG, thumbnail() decodes at the smallest scale (1/2, 1/4,
            # 1/8) still above the size kept, and turning a small image upright is cheap.
            original.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            # Turned upright after shrinking: the EXIF orientation is still in the image's info.
            image: Image.Image = ImageOps.exif_transpose(original)
            if kind == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            out = io.BytesIO()
            # Saving without exif= or pnginfo= writes no metadata at all.
            if kind == "PNG":
                image.save(out, "PNG")
            else:
                image.save(out, format=kind, quality=85)
            width, height = image.size
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise InvalidInput(message, fields={"photos": [message]}) from exc
    content_type, extension = FORMATS[kind]
    name = f"{secrets.token_hex(16)}.{extension}"
    return CleanPhoto(ContentFile(out.getvalue(), name=name), content_type, width, height)


def _check_pixels(kind: str, pixels: int) -> None:
    """Refuse a photo whose decoding would cost more than a phone photo's."""
    limit = MAX_PIXELS if kind == "JPEG" else MAX_PIXELS_DECODED_WHOLE
    if pixels > limit:
        # Chinese counts in 万 (ten thousand), English in millions: both are offered.
        message = _("照片尺寸过大（JPEG 最多%(jpeg)d万像素，PNG、WebP 最多%(other)d万像素）。") % {
            "jpeg": MAX_PIXELS // 10_000,
            "other": MAX_PIXELS_DECODED_WHOLE // 10_000,
            "jpeg_millions": MAX_PIXELS // 1_000_000,
            "other_millions": MAX_PIXELS_DECODED_WHOLE // 1_000_000,
        }
        raise InvalidInput(message, fields={"photos": [message]})


def photo_file(upload_to: str) -> models.FileField:
    """Return the file field of a stored photo, its files under ``upload_to``."""
    return models.FileField(gettext_lazy("照片"), upload_to=upload_to)


class StoredPhoto(models.Model):
    """A photo as :func:`photo_clean` left it; a subclass adds its owner and ``image``.

    ``image = photo_file("<app>/%Y/%m/")`` in the subclass says where the files go.
    """

    image: FieldFile
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        abstract = True
        verbose_name = gettext_lazy("照片")
        verbose_name_plural = gettext_lazy("照片")

    def __str__(self) -> str:
        return str(self.image.name)

    @classmethod
    def store(cls, photo: CleanPhoto, **owner: Any) -> Self:
        """Store ``photo`` for ``owner`` (e.g. ``case=case``)."""
        return cls._default_manager.create(
            image=photo.content,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            **owner,
        )


def photo_response(photo: StoredPhoto) -> FileResponse:
    """Send ``photo``'s file, kept by the browser only (``NotFound`` when the file is gone)."""
    try:
        stream = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    response = FileResponse(stream, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
