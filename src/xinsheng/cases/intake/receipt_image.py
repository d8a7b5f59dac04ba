"""The receipt code as a PNG picture, to keep in a phone's photos.

Drawn with Pillow's own scalable font, which has Latin letters and digits only: the picture
carries the case number and the code (which are all a look-up needs) and a Latin caption.
"""

import io

from xinsheng.cases.intake.receipts import receipt_groups

WIDTH, HEIGHT = 720, 420
INK, PAPER, ACCENT = (31, 41, 55), (255, 248, 225), (183, 28, 28)


def receipt_png(*, case_no: str, code: str) -> bytes:
    """Return a PNG showing ``case_no`` and ``code`` in groups of four, one group per column."""
    from PIL import Image, ImageDraw, ImageFont  # only where a receipt picture is drawn

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=28)
    large = ImageFont.load_default(size=56)
    draw.rectangle((0, 0, WIDTH, 64), fill=ACCENT)
    draw.text((32, 16), "Xinsheng - receipt code", font=small, fill=PAPER)
    draw.text((32, 96), f"Case {case_no}", font=small, fill=INK)
    groups = receipt_groups(code)
    first, second = groups[:3], groups[3:]
    for row, line in enumerate((first, second)):
        draw.text((32, 160 + row * 84), "  ".join(line), font=large, fill=INK)
    draw.text((32, HEIGHT - 60), "Keep it private: it opens your case.", font=small, fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
