"""Photos sent with a case: at most three, each checked and re-encoded by ``core.photos``."""

MAX_PHOTOS = 3
PHOTO_TYPES = "image/jpeg,image/png,image/webp"  # what a photo field offers to choose
