"""A web worker serving the loop loads no text-analysis or office-format library.

The worker is a fresh process that loads the application as gunicorn does (``xinsheng.wsgi``,
warmed as before a fork) and serves the public form, a submission, the ledger and a case page
on the database this test wrote; then it names the heavy libraries it has imported.
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from tests.cases.factories import Cast, make_cast, submit
from tests.conftest import Tree
from tests.fresh_process import answer_of

pytestmark = pytest.mark.django_db(transaction=True)

# The text tools (insight) and the office formats: loaded where they are used, never by a worker
# that serves the loop's pages.
HEAVY = ("sklearn", "scipy", "docx", "numpy", "rjieba", "openpyxl", "PIL")

WORKER = """
import gc, json, sys
from xinsheng import settings  # static files are not collected here: named as they are
STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES["staticfiles"]["BACKEND"] = STATIC
from xinsheng.wsgi import application  # loaded and warmed as gunicorn loads it before forking
frozen = gc.get_freeze_count()  # what the workers would share after the fork
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()  # the test client's host name is allowed
form_url, ledger_url, case_url, username = sys.argv[1:5]
client = Client()
statuses = [client.get(form_url).status_code]
data = {
    "kind": "demand", "title": "", "text": "二号井口澡堂夜班没有热水，希望尽快修好。",
    "identity": "anonymous", "name": "", "employee_no": "", "phone": "", "website": "",
    "intake_key": "light-worker-1", "k": "",
}
sent = client.post(form_url, data)
statuses.append(sent.status_code)
received = "只显示这一次" in sent.content.decode()  # the receipt code, shown once
client.force_login(User.objects.get(username=username))
statuses.append(client.get(ledger_url).status_code)
statuses.append(client.get(case_url).status_code)
heavy = json.loads(sys.argv[5])
loaded = [name for name in heavy if name in sys.modules]
print(json.dumps({"statuses": statuses, "received": received, "loaded": loaded, "frozen": frozen}))
"""


def test_a_web_worker_serving_the_form_and_the_ledger_loads_no_heavy_library(
    tree: Tree, tmp_path: Path
) -> None:
    # Given a case in the ledger of a dispatcher
    cast: Cast = make_cast(tree)
    case = submit(tree).case
    # When a fresh worker serves the phone form, a submission, the ledger and the case page
    answer = answer_of(
        WORKER,
        f"/v/{tree.team1.code}/",
        reverse("cases:ledger"),
        reverse("cases:detail", args=[case.case_no]),
        cast.dispatcher.username,
        json.dumps(HEAVY),
        tmp_path=tmp_path,
    )
    # Then every page was served ...
    assert answer["statuses"] == [200, 200, 200, 200]
    assert answer["received"]
    # ... without scikit-learn, scipy, numpy, jieba, python-docx, openpyxl or Pillow
    assert answer["loaded"] == []
    # ... and what the application loaded before the fork was kept out of the collector's reach,
    # so that the workers' collections do not copy the pages they share
    assert answer["frozen"] > 50_000
