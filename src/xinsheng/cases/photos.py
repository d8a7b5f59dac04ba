"""Photos sent with a case: checked by content, re-encoded without EXIF or location."""

import io
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xinsheng.core.errors import InvalidInput

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
LONGEST_SIDE = 2560


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
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(message, fields={"photos": [message]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as original:
            image: Image.Image = ImageOps.exif_transpose(original)
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
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
