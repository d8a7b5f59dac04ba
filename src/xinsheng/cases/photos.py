"""Photos sent with a case: at most three, checked and re-encoded by ``core.photos``."""

from xinsheng.core.photos import MAX_BYTES, CleanPhoto, photo_clean

__all__ = ["MAX_BYTES", "MAX_PHOTOS", "CleanPhoto", "photo_clean"]

MAX_PHOTOS = 3
