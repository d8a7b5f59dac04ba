"""Benchmark: what the public quiz boards cost the server, built and from the cache.

A throwaway PostgreSQL database holds a group of ``BENCH_PEOPLE`` people (default 20,000) in 20
teams and a campaign of three rounds that every one of them has taken once (random scores and
times, written directly). Inside one process, through Django's test client, it then asks for:

1. a round's board page, the cache emptied before each request (every request builds it: what
   each phone would cost without the cache);
2. the same page served from the cache;
3. the same page with the reader's own place (a POST naming an attempt), from the cache;
4. the campaign's board page, built each time;
5. the campaign's board page from the cache;
6. the campaign's board as JSON (``GET /api/v1/quiz-campaigns/{id}/leaderboard``), from the cache.

For each: the least and the median processor time per request over ``BENCH_RUNS`` (default 10)
after one warm-up, and the SQL statements of one request. The cache is the one the settings
give without Redis (files under a temporary directory). The hourly allowance of the public
requests is lifted (they all come from one address).

    DATABASE_URL=postgres://postgres@localhost:5432/postgres .venv/bin/python bench/quiz_boards.py

Tunable: BENCH_PEOPLE, BENCH_RUNS. The database is dropped at the end.
"""

import datetime as dt
import os
import random
import secrets
import statistics
import tempfile
import time

import intake

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))


def prepare() -> tuple[int, int, str]:
    """Migrate; write the people, a campaign of three rounds and one attempt of each person at
    each; return the first round's id, the campaign's id and an attempt's key."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The pages are timed, not their assets: no collected manifest needed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    from django.utils import timezone

    from xinsheng.engage.quizzes.models import Attempt, Campaign, Round
    from xinsheng.org.choices import UnitKind
    from xinsheng.org.models import OrgUnit, Person

    call_command("migrate", verbosity=0)
    group = OrgUnit.objects.add_root(
        create_kwargs={"name": "基准集团", "code": "BENCH-G", "kind": UnitKind.GROUP}
    )
    teams = [
        OrgUnit.objects.add_child(
            group, create_kwargs={"name": f"基准班组{n}", "code": f"BQ-T{n}", "kind": UnitKind.TEAM}
        )
        for n in range(20)
    ]
    Person.objects.bulk_create(
        [
            Person(employee_no=f"Q{n:06d}", name=f"答题人{n:06d}", unit=teams[n % len(teams)])
            for n in range(PEOPLE)
        ],
        batch_size=5000,
    )
    people = list(Person.objects.select_related("unit").order_by("id"))
    campaign = Campaign.objects.create(title="基准答题", unit=group, expert_min_rounds=2)
    now = timezone.now()
    rounds = [
        Round.objects.create(
            campaign=campaign,
            number=number,
            title=f"第{number}轮",
            unit=group,
            opens_at=now - dt.timedelta(days=10 - number),
            closes_at=now + dt.timedelta(days=1),
            draw=[{"tag": "", "difficulty": "", "count": 10}],
        )
        for number in (1, 2, 3)
    ]
    chance = random.Random(1)
    for quiz_round in rounds:
        Attempt.objects.bulk_create(
            [
                Attempt(
                    key=secrets.token_hex(16),
                    round=quiz_round,
                    person=person,
                    unit_path=person.unit.path,
                    number=1,
                    questions=list(range(1, 11)),
                    answers={},
                    started_at=now - dt.timedelta(hours=1),
                    submitted_at=now - dt.timedelta(minutes=50),
                    score=chance.randrange(0, 11) * 10,
                    correct=0,
                    seconds=chance.randrange(60, 600),
                )
                for person in people
            ],
            batch_size=5000,
        )
    key = (
        Attempt.objects.filter(round=rounds[0])
        .order_by("id")
        .values_list("key", flat=True)[PEOPLE // 2]
    )
    return rounds[0].pk, campaign.pk, key


def measure(name: str, call: object, *, cold: bool) -> None:
    """Print the least and median processor time of ``call`` and its statement count."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not callable(call):
        raise TypeError(name)
    if not cold:
        call()  # warm the cache
    times = []
    for _run in range(RUNS + 1):
        if cold:
            cache.clear()
        start = time.process_time()
        response = call()
        times.append(time.process_time() - start)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code}")
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        call()
    times = times[1:]
    print(
        f"{name:<44} {min(times) * 1000:9.1f} {statistics.median(times) * 1000:9.1f}"
        f" {len(queries.captured_queries):6d}"
    )


def main() -> None:
    name = intake.database_create("xs_bench_quiz_boards")
    workdir = tempfile.mkdtemp(prefix="xs-bench-boards-")
    os.environ.update(
        {
            "DATABASE_URL": intake.database_url(name),
            "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "XINSHENG_VAR_DIR": workdir,
            "ALLOWED_HOSTS": "testserver,localhost",
            "QUIZ_RATE_PER_HOUR": str(10**9),
            "LOG_LEVEL": "WARNING",
            "DEBUG": "",
        }
    )
    try:
        round_id, campaign_id, key = prepare()
        from django.test import Client

        client = Client()
        round_url = f"/dati/{round_id}/board/"
        campaign_url = f"/dati/campaign/{campaign_id}/board/"
        api_url = f"/api/v1/quiz-campaigns/{campaign_id}/leaderboard"
        print(f"{PEOPLE} people, 3 rounds, {3 * PEOPLE} attempts; {RUNS} runs each")
        print(f"{'request':<44} {'least ms':>9} {'median ms':>9} {'SQL':>6}")
        measure("1 round board, built", lambda: client.get(round_url), cold=True)
        measure("2 round board, cached", lambda: client.get(round_url), cold=False)
        measure(
            "3 round board + own place, cached",
            lambda: client.post(round_url, {"attempt": key}),
            cold=False,
        )
        measure("4 campaign board, built", lambda: client.get(campaign_url), cold=True)
        measure("5 campaign board, cached", lambda: client.get(campaign_url), cold=False)
        measure("6 campaign board JSON, cached", lambda: client.get(api_url), cold=False)
    finally:
        from django.db import connections

        connections.close_all()
        intake.database_drop(name)


if __name__ == "__main__":
    main()
