"""Benchmark: a survey's results at 100,000 responses.

Builds the group of ``ledger_export.py`` (about 2,400 units, 30,000 people) and one anonymous
survey of the whole group with ten questions of every kind (two single choices, a multiple
choice, a 1–5 scale, a matrix of six items, a branch shown after one answer, two texts), then
``BENCH_RESPONSES`` responses (default 100,000) through the teams' QR codes and the plain link,
about 1.3 million answers, written with COPY; then counts the survey's tallies once
(``survey_tallies_rebuild``, timed). Checks that the results equal a raw recount of the answers.
Then measures, as median (p50) and p95:

- the results (``results.results_of``: per question, per unit under the small-team guard, the
  headcount) and the whole results page through Django's test client;
- taking one response (``services.response_submit``: the checks, the rows and the tallies);

then the results page the way a user waits for it: through gunicorn (the project's settings,
``SERVER_WORKERS`` sync workers, default 2) with a signed-in session cookie, by ``wrk`` when
installed, one connection and then ``SERVER_CONNECTIONS`` (default 4) for ``SERVER_SECONDS``
(default 10) each; and exports the survey to .xlsx, printing rows per second.

    DATABASE_URL=postgres://postgres@localhost/xs_surveys .venv/bin/python bench/engage_surveys.py

Target: the results page p50 ≤ 200 ms on PostgreSQL. PostgreSQL only: a throwaway database
named after the one in DATABASE_URL (prefixed ``test_``) is created and dropped afterwards.
``BENCH_SERVER=0`` skips the run through gunicorn; ``BENCH_KEEP=1`` keeps the database.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from ledger_export import build_people, build_units
from talks import (
    KEEP,
    SERVER,
    SERVER_CONNECTIONS,
    SERVER_SECONDS,
    SERVER_WORKERS,
    by_python,
    by_wrk,
    copy_rows,
    measure,
    reset_sequence,
    serve,
    server_environment,
    setup,
    teardown,
)

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
SEED = 20261203
UNION = "bench-union"
TEXTS = (
    "希望井下班中餐能送热乎的。",
    "通勤班车早班发车太早。",
    "宿舍热水器经常坏。",
    "希望多组织技能培训。",
    "劳保鞋质量一般。",
)


def build_survey(group: Any) -> Any:
    """Set up the survey as a union officer of the group would."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from xinsheng.engage.surveys import services
    from xinsheng.engage.surveys.choices import QuestionKind as K
    from xinsheng.engage.surveys.validation import QuestionData as Q
    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment

    user = User.objects.create_user(UNION, password=None)
    person = Person.objects.create(employee_no="U000001", name="工会干事", unit=group, user=user)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.UNION)
    today = timezone.localdate()
    questions = [
        Q(kind=K.SINGLE, text="您的岗位类别", options=["井下一线", "地面辅助", "机关科室", "后勤"]),
        Q(kind=K.SINGLE, text="您的工龄", options=["5年以下", "5–15年", "15年以上"]),
        Q(kind=K.MULTIPLE, text="您最关心的事", options=["收入", "安全", "食堂", "宿舍", "班车"]),
        Q(kind=K.SCALE, text="总体满意度", scale_max=5),
        Q(
            kind=K.MATRIX,
            text="请对以下方面打分",
            items=["工资收入", "劳动保护", "食堂伙食", "职工宿舍", "通勤班车", "培训晋升"],
        ),
        Q(kind=K.SINGLE, text="近一年是否反映过问题", options=["是", "否"]),
        Q(
            kind=K.SINGLE,
            text="解决得怎么样",
            options=["已解决", "正在解决", "没有回音"],
            show_if=6,
            show_if_choice=1,
        ),
        Q(kind=K.SCALE, text="向亲友推荐公司的意愿", scale_max=10),
        Q(kind=K.SHORT, text="一句话说说您的期待", required=False),
        Q(kind=K.LONG, text="其他意见建议", required=False),
    ]
    return services.survey_create(
        actor=user,
        data=services.SurveyData(
            title="基准职工满意度调查",
            unit=group,
            opens_on=today - dt.timedelta(days=20),
            closes_on=today + dt.timedelta(days=10),
        ),
        questions=questions,
    )


def build_responses(
    survey: Any, units: list[Any], rng: random.Random
) -> Counter[tuple[int, int, int]]:
    """Write RESPONSES responses and their answers with COPY; return the raw counts written."""
    from xinsheng.engage.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse

    teams = [unit.pk for unit in units if unit.numchild == 0]
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    start = survey.opens_on
    copy_rows(
        SurveyResponse._meta.db_table,
        ["id", "survey_id", "unit_id", "anonymous", "submitted_on"],
        (
            (
                n,
                survey.pk,
                rng.choice(teams) if rng.random() > 0.03 else None,
                True,
                start + dt.timedelta(days=rng.randrange(20)),
            )
            for n in range(1, RESPONSES + 1)
        ),
    )
    reset_sequence(SurveyResponse)
    counts: Counter[tuple[int, int, int]] = Counter()

    def answers() -> Any:
        number = 0
        for response in range(1, RESPONSES + 1):
            picked: dict[int, int] = {}
            for q in questions:
                if q.show_if_id and picked.get(q.show_if_id) != q.show_if_choice:
                    continue
                rows: list[tuple[int, int | None, str]] = []
                if q.kind in ("single", "scale"):
                    top = len(q.options) if q.kind == "single" else q.scale_max
                    value = rng.randint(1, top)
                    picked[q.pk] = value
                    rows.append((0, value, ""))
                elif q.kind == "multiple":
                    rows += [(0, c, "") for c in range(1, 6) if rng.random() < 0.35]
                elif q.kind == "matrix":
                    rows += [(i, rng.randint(1, 5), "") for i in range(1, 7)]
                elif rng.random() < 0.1:
                    rows.append((0, None, rng.choice(TEXTS)))
                for item, choice, text in rows:
                    number += 1
                    if choice is not None:
                        counts[(q.pk, item, choice)] += 1
                    yield (number, response, q.pk, item, choice, text)

    copy_rows(
        SurveyAnswer._meta.db_table,
        ["id", "response_id", "question_id", "item", "choice", "text"],
        answers(),
    )
    reset_sequence(SurveyAnswer)
    return counts


def check_recount(survey: Any, counts: Counter[tuple[int, int, int]]) -> None:
    """Fail unless the results' option and scale counts equal the answers written."""
    from xinsheng.engage.surveys.results import results_of

    found = results_of(survey)
    if found.responses != RESPONSES:
        raise SystemExit(f"results count {found.responses} responses, {RESPONSES} were written")
    for result in found.questions:
        q = result.question
        for option in result.options:
            if option.n != counts[(q.pk, 0, option.number)]:
                raise SystemExit(f"question {q.position} option {option.number} miscounted")
        for item_no, row in enumerate(result.items, start=1 if q.kind == "matrix" else 0):
            for value, n in enumerate(row.counts, start=1):
                if n != counts[(q.pk, item_no, value)]:
                    raise SystemExit(f"question {q.position} item {item_no} miscounted")
    shown = [row for row in found.units if row.unit is not None]
    if any(row.responses < found.k for row in shown[1:]):
        raise SystemExit("a unit under K is shown alone")
    print(f"recount: every count matches; {len(shown)} unit rows, K = {found.k}")


def measure_local(survey: Any) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from xinsheng.engage.surveys import services
    from xinsheng.engage.surveys.models import SurveyQuestion
    from xinsheng.engage.surveys.results import results_of

    client = Client()
    client.force_login(User.objects.get(username=UNION))
    page = f"/surveys/{survey.pk}/results/"
    if client.get(page).status_code != 200:
        raise SystemExit("the results page does not answer 200")
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    answers = {
        questions[0].pk: 1,
        questions[1].pk: 2,
        questions[2].pk: [1, 3],
        questions[3].pk: 4,
        questions[4].pk: [4, 4, 3, 5, 4, 2],
        questions[5].pk: 2,
        questions[7].pk: 8,
    }
    rows = [
        ("results (results_of)", *measure(lambda: results_of(survey))),
        ("results page (test client)", *measure(lambda: client.get(page))),
        (
            "one response (response_submit)",
            *measure(lambda: services.response_submit(survey=survey, answers=answers)),
        ),
    ]
    heading = f"at {RESPONSES:,} responses"
    print(f"\n{heading:40} {'p50 ms':>8} {'p95 ms':>8} {'runs':>5}")
    for label, p50, p95, runs in rows:
        print(f"{label:40} {p50:8.1f} {p95:8.1f} {runs:5}")


def session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=UNION))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_server(survey: Any, workdir: Path) -> None:
    cookie = session_cookie()
    server, port = serve(server_environment(workdir))
    tool, client = ("wrk", by_wrk) if shutil.which("wrk") else ("python client", by_python)
    url = f"http://127.0.0.1:{port}/surveys/{survey.pk}/results/"
    rows = []
    try:
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            if answer.status != 200 or "survey-results" not in answer.read().decode():
                raise SystemExit(f"{url} does not show the results to the signed-in user")
        for connections in sorted({1, SERVER_CONNECTIONS}):
            rows.append((connections, *client(url, cookie, connections)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\nresults page through gunicorn ({SERVER_WORKERS} sync workers, {tool}, "
        f"{SERVER_SECONDS} s):"
    )
    print(f"{'conn':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'errors':>6}")
    for connections, p50, p95, rate, errors in rows:
        print(f"{connections:5} {p50:8.1f} {p95:8.1f} {rate:7.1f} {errors:6}")


def measure_export(survey: Any) -> None:
    from xinsheng.engage.surveys import export
    from xinsheng.engage.surveys.results import results_of

    with tempfile.TemporaryFile() as handle:
        begin = time.perf_counter()
        written = export.survey_write(
            survey=survey, results=results_of(survey), target=handle, named=False
        )
        seconds = time.perf_counter() - begin
        size = handle.seek(0, os.SEEK_END)
    print(
        f"\nexport: {written:,} responses in {seconds:.1f} s ({written / seconds:,.0f} rows/s), "
        f"{size / 1e6:.1f} MB"
    )


def print_figures(survey: Any) -> None:
    from xinsheng.engage.surveys.results import results_of

    found = results_of(survey)
    print(
        f"\nfigures: {found.responses:,} responses of {found.headcount:,} people "
        f"({(found.rate or 0) * 100:.1f}%), satisfaction {found.satisfaction} / 100, "
        f"{len(found.units)} unit rows"
    )


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        name = setup(workdir)
        try:
            from xinsheng.engage.surveys import services

            begin = time.perf_counter()
            units = build_units()
            build_people(units, rng)
            group = next(unit for unit in units if unit.depth == 1)
            survey = build_survey(group)
            counts = build_responses(survey, units, rng)
            print(f"generated {RESPONSES:,} responses in {time.perf_counter() - begin:.0f} s")
            begin = time.perf_counter()
            tallies = services.survey_tallies_rebuild(survey=survey)
            print(f"tallies counted once: {tallies:,} rows in {time.perf_counter() - begin:.1f} s")
            check_recount(survey, counts)
            measure_local(survey)
            if SERVER:
                measure_server(survey, workdir)
            measure_export(survey)
            print_figures(survey)
        finally:
            if not KEEP:  # BENCH_KEEP=1 keeps the database (test_<name>) for bench/page_cost.py
                teardown(name)


if __name__ == "__main__":
    main()
