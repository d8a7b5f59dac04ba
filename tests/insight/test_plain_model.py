"""The trained model's plain form predicts what the pipeline predicts, without scikit-learn: a web
worker showing a case's suggestion with an active model loads neither scikit-learn nor scipy."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.cases.factories import make_cast
from tests.conftest import Tree
from tests.fresh_process import answer_of
from tests.insight.test_routing import labelled, voice
from xinsheng.core.normalize import normalize
from xinsheng.insight import selectors, tasks
from xinsheng.insight import services as insight_services
from xinsheng.insight.models import TrainedModel
from xinsheng.insight.nlp import classify
from xinsheng.insight.nlp.plain_model import PlainModel
from xinsheng.insight.nlp.synthetic import voices

PROBES = ["今天天气不错", "", "   ", "單身宿舍暖氣不熱，晚上凍得睡不著", "ＡＢＣ　食堂　饭菜"]


@pytest.fixture(scope="module")
def demo_texts() -> tuple[list[str], list[str]]:
    return voices(600, seed=11)


@pytest.mark.parametrize("kind", ["calibrated", "softmax", "two categories"])
def test_the_plain_form_predicts_as_the_pipeline(
    demo_texts: tuple[list[str], list[str]], kind: str
) -> None:
    texts, labels = demo_texts
    if kind == "softmax":  # too few examples per category to calibrate
        texts, labels = texts[:12], labels[:12]
    elif kind == "two categories":
        pairs = [
            (t, label) for t, label in zip(texts, labels, strict=True) if label in ("食堂", "住房")
        ]
        texts, labels = [t for t, _ in pairs], [label for _, label in pairs]
    model = classify.train(texts, labels)
    assert model.calibrated == (kind != "softmax")
    plain = PlainModel.from_bytes(PlainModel.from_model(model).to_bytes())
    probes = voices(300, seed=12)[0] + PROBES
    assert plain.predict_many(probes) == model.predict_many(probes)
    normalized = [normalize(text) for text in probes]
    expected = model.scores(normalized)
    for row, text in zip(expected, normalized, strict=True):
        assert plain.confidences(plain.decision(text)) == pytest.approx(list(row), abs=1e-6)


@pytest.mark.django_db
def test_a_version_without_its_plain_form_still_predicts_and_gets_it(tree: Tree) -> None:
    cast = make_cast(tree)
    canteen, _bus = labelled(tree, cast)
    stored = insight_services.model_train(actor=cast.admin)
    assert stored.plain
    # A version trained before the plain form was kept: the pipeline predicts
    TrainedModel.objects.filter(pk=stored.pk).update(plain=b"")
    selectors._model_of_version.cache_clear()
    case = voice(tree.team1, "食堂中午的饭菜又凉又咸。")
    active = selectors.active_model()
    assert active is not None
    assert isinstance(active[1], classify.Model)
    category, confidence, source = selectors.category_predict(case.text)
    assert (category, source) == (canteen, "model")
    # The retraining task writes it, and the plain form gives the same suggestion
    assert tasks.model_retrain.call() == "not due"
    assert TrainedModel.objects.get(pk=stored.pk).plain
    selectors._model_of_version.cache_clear()
    active = selectors.active_model()
    assert active is not None
    assert isinstance(active[1], PlainModel)
    assert selectors.category_predict(case.text) == (canteen, confidence, "model")
    selectors._model_of_version.cache_clear()


PAGES = """
import json, sys
from xinsheng import settings  # static files are not collected here: named as they are
STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES["staticfiles"]["BACKEND"] = STATIC
from xinsheng.wsgi import application  # loaded as gunicorn loads it
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
case_url, card_url, username = sys.argv[1:4]
client = Client()
client.force_login(User.objects.get(username=username))
page, card = client.get(case_url), client.get(card_url)
print(json.dumps({
    "statuses": [page.status_code, card.status_code],
    "card": card.content.decode(),
    "loaded": [name for name in ("sklearn", "scipy") if name in sys.modules],
}))
"""


@pytest.mark.django_db(transaction=True)
def test_the_case_page_suggests_with_the_model_without_scikit_learn(
    tree: Tree, tmp_path: Path
) -> None:
    # Given an active model trained on the confirmed categories, and a new voice
    cast = make_cast(tree)
    labelled(tree, cast)
    insight_services.model_train(actor=cast.admin)
    case = voice(tree.team1, "食堂中午的饭菜又凉又咸。")
    # When a fresh web worker serves its case page and suggestion card to a dispatcher
    answer = answer_of(
        PAGES,
        reverse("cases:detail", args=[case.case_no]),
        reverse("insight:case_suggestion", args=[case.case_no]),
        cast.dispatcher.username,
        tmp_path=tmp_path,
    )
    # Then the model's suggestion is shown ...
    assert answer["statuses"] == [200, 200]
    assert "食堂" in answer["card"]
    assert "依据本单位数据训练的模型" in answer["card"]
    # ... and the worker loaded neither scikit-learn nor scipy
    assert answer["loaded"] == []
