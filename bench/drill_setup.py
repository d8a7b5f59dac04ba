"""Steps the drills run inside an installation (Django set up from the environment).

    python bench/drill_setup.py credentials USERNAME     # an API token and a signed-in session
    python bench/drill_setup.py photos UNIT_CODE COUNT   # COUNT voices with a photo each
    python bench/drill_setup.py figures                  # the figures tables summed, and counts

Each step prints one line of JSON, which the drill reads. Everything is written through the
platform's services, as the web pages and the API would write it.
"""

import io
import json
import random
import sys
from typing import Any


def credentials(username: str) -> dict[str, str]:
    """Return an API token and a session cookie of ``username``, as after a sign-in."""
    from django.contrib.auth.models import User
    from django.test import Client

    from xinsheng.api.services import token_issue

    user = User.objects.get(username=username)
    token = token_issue(actor=user)
    client = Client()
    client.force_login(user)  # a session row in the database, which every server reads
    return {"token": token.key, "session": client.cookies["sessionid"].value}


def _photo(seed: int) -> bytes:
    """Return a small JPEG, different for every seed, as a phone would send it."""
    from PIL import Image

    generator = random.Random(seed)
    image = Image.new("RGB", (320, 240), (generator.randrange(256), 90, 60))
    for _ in range(40):
        x, y = generator.randrange(300), generator.randrange(220)
        image.paste((generator.randrange(256),) * 3, (x, y, x + 20, y + 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def photos(unit_code: str, count: int) -> dict[str, int]:
    """Take ``count`` anonymous voices with one photo each at ``unit_code``."""
    from xinsheng.cases.services import Identity, case_submit_at

    identity = Identity(anonymous=True, name="", employee_no="", phone="")
    for number in range(count):
        case_submit_at(
            unit_code=unit_code,
            kind="demand",
            title="",
            text=f"巷道照明灯坏了好几盏，夜班行走不安全，照片为证（第{number + 1}处）。",
            identity=identity,
            photos=[_photo(number)],
        )
    return {"voices": count}


def figures() -> dict[str, Any]:
    """Return the sum of every counter over the figures tables, and the rows of each table."""
    from django.apps import apps
    from django.db import connection
    from django.db.models import Sum

    from xinsheng.reports.models import COUNTERS, CaseFigure, UnitBreakdown, UnitFigures

    sums: dict[str, int] = {}
    for model in (CaseFigure, UnitFigures):
        totals = model.objects.aggregate(**{name: Sum(name) for name in COUNTERS})
        for name, value in totals.items():
            sums[f"{model._meta.db_table}.{name}"] = int(value or 0)
    sums["reports_unitbreakdown.cases"] = int(
        UnitBreakdown.objects.aggregate(total=Sum("cases"))["total"] or 0
    )
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
            rows[table] = int(cursor.fetchone()[0])
    return {"sums": sums, "rows": rows}


def main() -> None:
    import django

    django.setup()
    step, *args = sys.argv[1:]
    if step == "credentials":
        result: Any = credentials(args[0])
    elif step == "photos":
        result = photos(args[0], int(args[1]))
    elif step == "figures":
        result = figures()
    else:
        sys.exit(f"unknown step {step}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
