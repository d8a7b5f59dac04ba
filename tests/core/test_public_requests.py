"""The public forms and writes take a leaner way through the server (``core.public_requests``):
they work without the session, sign-in and messages middleware, and everything else still
passes the full chain."""

import io
import re
import sys
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from pytest_django.fixtures import Settings

from tests.cases.test_public import INTAKE_URL, form_data, intake_key_on, receipt_of
from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_bank, make_campaign, make_round
from tests.engage.surveys.factories import full_answers, make_survey
from tests.org.factories import PersonFactory, make_staff
from xinsheng.cases.models import Case
from xinsheng.core import public_requests
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.engage.surveys.models import SurveyResponse
from xinsheng.org.choices import Role

pytestmark = pytest.mark.usefixtures("fresh_cache")

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LEFT_OUT = {"sessions", "auth.middleware", "messages", "axes", "whitenoise"}


@pytest.fixture
def lean(settings: Settings) -> Client:
    """A browser whose requests pass only the public middleware, with CSRF checked."""
    settings.MIDDLEWARE = settings.PUBLIC_MIDDLEWARE
    client = Client(enforce_csrf_checks=True)
    client.handler.load_middleware()
    return client


def test_the_public_chain_is_the_full_one_without_what_serves_signed_in_staff() -> None:
    kept = [name for name in settings.MIDDLEWARE if name in settings.PUBLIC_MIDDLEWARE]
    assert kept == settings.PUBLIC_MIDDLEWARE  # same order
    left_out = set(settings.MIDDLEWARE) - set(settings.PUBLIC_MIDDLEWARE)
    assert {next(word for word in LEFT_OUT if word in name) for name in left_out} == LEFT_OUT
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.PUBLIC_MIDDLEWARE


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/v/A1/", True),
        ("/api/v1/units/A1/cases", True),
        ("/wenjuan/abc/", True),
        ("/wenjuan/abc/A1/", True),
        ("/api/v1/surveys/abc/responses", True),
        ("/dati/12/", True),
        ("/dati/12/start/", True),
        ("/api/v1/quizzes/12/attempts", True),
        ("/api/v1/quiz-attempts/xyz", True),
        ("/v/A1/jianyi/", False),
        ("/cases/", False),
        ("/api/v1/cases", False),
        ("/api/v1/surveys/12/results", False),
        ("/api/v1/quizzes/12/leaderboard", False),
        ("/accounts/login/", False),
        ("/static/xinsheng/public.css", False),
        ("/v/A1/extra/x/", False),
    ],
)
def test_which_paths_take_the_public_way(path: str, public: bool) -> None:
    assert bool(public_requests.public_pattern().fullmatch(path)) is public


def test_a_voice_through_the_phone_form_and_the_api(lean: Client, tree: Tree) -> None:
    # The form, then its POST with the cookie and token it gave
    page = lean.get(INTAKE_URL.format(code=tree.team1.code))
    assert page.status_code == 200
    assert "sessionid" not in page.cookies
    html = page.content.decode()
    data = form_data(
        intake_key=intake_key_on(html), csrfmiddlewaretoken=CSRF_VALUE.findall(html)[0]
    )
    taken = lean.post(INTAKE_URL.format(code=tree.team1.code), data)
    assert taken.status_code == 200
    assert receipt_of(taken)
    # ... a POST without the token is refused, as on the full chain
    refused = Client(enforce_csrf_checks=True)
    refused.handler = lean.handler
    assert refused.post(INTAKE_URL.format(code=tree.team1.code), form_data()).status_code == 403
    # ... and the API takes one too
    body = {"kind": "demand", "title": "", "text": form_data()["text"], "anonymous": True}
    answer = lean.post(
        f"/api/v1/units/{tree.team1.code}/cases", body, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert Case.objects.count() == 2


def test_a_quiz_through_the_api_and_the_phone_pages(lean: Client, tree: Tree) -> None:
    make_bank(tree.group)
    organiser = make_staff(tree.company1, Role.UNION)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser)
    PersonFactory(unit=tree.team1, name="王芳", employee_no="A100")
    started = lean.post(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        {"employee_no": "A100", "name": "王芳"},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    attempt = Attempt.objects.get(key=started.json()["attempt_id"])
    submitted = lean.post(
        f"/api/v1/quiz-attempts/{attempt.key}",
        {"answers": answers_for(attempt, 9)},
        content_type="application/json",
    )
    assert submitted.json()["correct"] == 9

    page = lean.get(f"/dati/{quiz_round.pk}/").content.decode()
    token = CSRF_VALUE.findall(page)[0]
    PersonFactory(unit=tree.team1, name="赵磊", employee_no="A200")
    taken = lean.post(
        f"/dati/{quiz_round.pk}/start/",
        {"employee_no": "A200", "name": "赵磊", "csrfmiddlewaretoken": token},
    )
    assert taken.status_code == 200
    assert Attempt.objects.filter(person__employee_no="A200").exists()


def test_a_survey_answered_through_the_api_and_the_phone_page(lean: Client, tree: Tree) -> None:
    survey = make_survey(tree.mine1)
    answers = {str(pk): value for pk, value in full_answers(survey).items()}
    answer = lean.post(
        f"/api/v1/surveys/{survey.token}/responses",
        {"unit_code": "A1", "answers": answers},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    page = lean.get(f"/wenjuan/{survey.token}/A1/")
    assert page.status_code == 200
    assert SurveyResponse.objects.count() == 1


def wsgi_get(application: Any, path: str) -> tuple[str, dict[str, str]]:
    """Send a GET to ``application`` as a WSGI server does; return its status and headers."""
    status, headers, _ = wsgi_page(application, path)
    return status, headers


def wsgi_page(application: Any, path: str) -> tuple[str, dict[str, str], str]:
    """Send a GET to ``application`` as a WSGI server does; return its status, headers, page."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, headers

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    result = application(environ, start_response)
    content = b"".join(result)
    result.close()
    return answer["status"], dict(answer["headers"]), content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_site_sends_each_path_its_way(tree: Tree) -> None:
    application = public_requests.application(WSGIHandler())
    # The phone form: shown with its CSRF cookie, and no session started
    status, headers = wsgi_get(application, INTAKE_URL.format(code=tree.team1.code))
    assert status.startswith("200")
    assert "csrftoken=" in headers.get("Set-Cookie", "")
    assert "Content-Security-Policy" in headers
    # A staff page still asks to sign in: it passed the session and sign-in middleware
    status, headers = wsgi_get(application, "/cases/")
    assert status.startswith("302")
    assert "login" in headers["Location"]


@pytest.mark.django_db(transaction=True)
def test_each_public_address_keeps_going_to_its_own_page(tree: Tree) -> None:
    # The lean way remembers where each public path it saw goes
    application = public_requests.application(WSGIHandler())
    first, second = (INTAKE_URL.format(code=unit.code) for unit in (tree.team1, tree.mine2))
    team, mine = "综采一区一班", "二矿"
    for path, shown, other in ((first, team, mine), (second, mine, team)) * 2:
        status, _, page = wsgi_page(application, path)
        assert status.startswith("200")
        assert shown in page
        assert other not in page
    # ... an unknown unit is still the clear page it was, each time
    for _ in range(2):
        status, _, page = wsgi_page(application, INTAKE_URL.format(code="NOPE"))
        assert status.startswith("404")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"kind=demand&title=&text=%E4%BA%95%E5%8F%A3+%E6%BE%A1%E5%A0%82&identity=anonymous",
        b"a=1&a=2&b=&c&=d&e=%2B+%26&%E5%90%8D=%E5%80%BC",
        b"text=\xe4\xba\x95\xe5\x8f\xa3&x=1",  # raw UTF-8, not escaped
        b"text=\xff\xfe&x=%FF",  # not UTF-8: read as Latin-1, as Django does
        b"&&a=1&&b=2;c=3&",
    ],
)
def test_a_forms_fields_are_read_as_djangos_querydict_reads_them(body: bytes) -> None:
    from django.http import QueryDict

    lean = public_requests.urlencoded_fields(body)
    django = QueryDict(body, encoding="utf-8")
    assert list(lean.lists()) == list(django.lists())
    assert lean.encoding == django.encoding
    with pytest.raises(AttributeError, match="immutable"):
        lean["x"] = "changed"


def test_too_many_fields_are_refused_as_django_refuses_them(settings: Settings) -> None:
    from django.core.exceptions import TooManyFieldsSent

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    assert len(public_requests.urlencoded_fields(b"a=1&b=2&c=3")) == 3
    with pytest.raises(TooManyFieldsSent):
        public_requests.urlencoded_fields(b"a=1&b=2&c=3&d=4")


def test_the_public_way_reads_a_forms_post_and_leaves_the_rest_to_django() -> None:
    handler = public_requests.public_handler()
    assert handler.request_class is public_requests.PublicRequest

    def request(body: bytes, content_type: str, method: str = "POST") -> Any:
        return public_requests.PublicRequest(
            {
                "REQUEST_METHOD": method,
                "PATH_INFO": "/v/A1/",
                "CONTENT_TYPE": content_type,
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
            }
        )

    form = request(b"kind=demand&text=%E4%BA%95", "application/x-www-form-urlencoded")
    assert form.POST.dict() == {"kind": "demand", "text": "井"}
    assert not form.FILES
    as_json = request(b'{"kind": "demand"}', "application/json")
    assert not as_json.POST
    assert as_json.body == b'{"kind": "demand"}'
    with pytest.raises(Exception, match="must be UTF-8"):
        _ = request(b"a=1", "application/x-www-form-urlencoded; charset=latin-1").POST
    assert not request(b"a=1", "application/x-www-form-urlencoded", method="PUT").POST
