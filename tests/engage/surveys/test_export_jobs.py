"""A survey's Excel export as a job: a small survey comes back at once, a large one is written
in the background with a progress bar, and both give the workbook the export always gave."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Tree
from tests.engage.surveys.factories import full_answers, make_survey
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.core.progress import progress_shown
from xinsheng.engage.surveys import export, selectors, services
from xinsheng.engage.surveys.models import Survey, SurveyExportJob
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def _answered(tree: Tree, *, anonymous: bool, count: int) -> Survey:
    survey = make_survey(tree.company1, anonymous=anonymous)
    for n in range(count):
        person = None
        if not anonymous:
            person = PersonFactory(unit=tree.team1, name=f"职工{n}", employee_no=f"E{n:03d}")
        services.response_submit(
            survey=survey,
            answers=full_answers(survey, raised=n % 2 == 0, score=1 + n % 5),
            unit_code="A1" if n % 3 else "M1",
            respondent=services.Respondent(person.employee_no, person.name) if person else None,
        )
    return survey


def _cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(content))
    return {name: list(book[name].values) for name in book.sheetnames}


def _todays_workbook(survey: Survey, actor: Any) -> bytes:
    """Return the workbook as the export wrote it before jobs: straight from ``survey_write``."""
    target = io.BytesIO()
    export.survey_write(
        survey=survey,
        results=selectors.results_for(actor=actor, survey=survey),
        target=target,
        named=selectors.may_manage(actor, survey),
    )
    return target.getvalue()


def test_a_small_survey_is_exported_at_once_and_audited(tree: Tree) -> None:
    survey = _answered(tree, anonymous=True, count=3)
    staff = make_staff(tree.company1, Role.UNION)
    client = Client()
    client.force_login(staff)
    answer = client.get(f"/surveys/{survey.pk}/export.xlsx")
    assert answer.status_code == 200
    content = b"".join(answer.streaming_content)
    assert _cells(content) == _cells(_todays_workbook(survey, staff))
    job = SurveyExportJob.objects.get()
    assert (job.background, job.status, job.total_rows) == (False, "done", 3)
    event = AuditEvent.objects.get(action="survey.export")
    assert event.after == {"survey": survey.pk, "background": False}


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_large_survey_is_written_in_the_background_with_the_same_workbook(
    tree: Tree,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
    anonymous: bool,
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "EXPORT_INLINE_ROWS": 4}
    survey = _answered(tree, anonymous=anonymous, count=7)
    staff = make_staff(tree.company1, Role.UNION)
    client = Client()
    client.force_login(staff)
    reported: list[tuple[int, int]] = []
    with (
        progress_shown(lambda done, total: reported.append((done, total))),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = client.get(f"/surveys/{survey.pk}/export.xlsx")
    job = SurveyExportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/surveys/exports/{job.pk}/"
    assert job.background
    assert (job.status, job.total_rows, job.written_rows) == ("done", 7, 7)
    assert reported[-1] == (7, 7)

    page = client.get(answer["Location"]).content.decode()
    assert "导出完成" in page
    assert "共 7 份答卷" in page
    download = client.get(f"/surveys/exports/{job.pk}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert _cells(content) == _cells(_todays_workbook(survey, staff))
    names = {row[3] for row in _cells(content)["答卷"][1:]} if not anonymous else set()
    assert names == (set() if anonymous else {f"职工{n}" for n in range(7)})


def test_the_job_page_shows_a_progress_bar_while_the_export_runs(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    staff = make_staff(tree.company1, Role.UNION)
    job = SurveyExportJob.objects.create(
        owner=staff, survey=survey, background=True, status="running", total_rows=10
    )
    SurveyExportJob.objects.filter(pk=job.pk).update(written_rows=4)
    client = Client()
    client.force_login(staff)
    status = client.get(f"/surveys/exports/{job.pk}/status/").content.decode()
    assert '<progress value="4" max="10">40%</progress>' in status
    assert "已导出 4 / 10 份答卷" in status
    assert 'hx-trigger="every 1s"' in status
    assert client.get(f"/surveys/exports/{job.pk}/download/").status_code == 404


def test_an_export_job_is_its_owners_alone(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    job = SurveyExportJob.objects.create(
        owner=make_staff(tree.company1, Role.UNION), survey=survey, background=True
    )
    other = Client()
    other.force_login(make_staff(tree.company1, Role.UNION))
    assert other.get(f"/surveys/exports/{job.pk}/").status_code == 404
    assert other.get(f"/surveys/exports/{job.pk}/download/").status_code == 404


def test_an_export_outside_the_readers_scope_is_not_found(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    other = Client()
    other.force_login(make_staff(tree.company2, Role.UNION))
    assert other.get(f"/surveys/{survey.pk}/export.xlsx").status_code == 404
    assert not SurveyExportJob.objects.exists()
