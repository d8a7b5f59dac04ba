"""Photos sent with a case: at most three, each checked and re-encoded by ``core.photos``."""

MAX_PHOTOS = 3
