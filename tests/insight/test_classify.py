"""Category suggestions: keyword rules at first, then a model trained on confirmed cases."""

import pytest

from xinsheng.insight.nlp import classify
from xinsheng.insight.nlp.synthetic import voices

RULES = {
    "食堂": ["食堂", "饭菜", "班中餐"],
    "通勤班车": ["班车", "通勤"],
    "住房": ["宿舍", "暖气", "家属楼"],
}


@pytest.fixture(scope="module")
def labelled() -> tuple[list[str], list[str]]:
    return voices(600, seed=11)


@pytest.fixture(scope="module")
def model(labelled: tuple[list[str], list[str]]) -> classify.Model:
    texts, labels = labelled
    return classify.train(texts, labels)


def test_the_model_suggests_the_category_of_a_new_voice(model: classify.Model) -> None:
    assert model.calibrated
    label, confidence = model.predict("二号井的食堂饭菜价格又涨了，分量还少，职工意见很大")
    assert label == "食堂"
    assert 0.5 < confidence <= 1.0
    label, _ = model.predict("夜班下班以后没有通勤班车，只能自己打车")
    assert label == "通勤班车"
    # Traditional characters and full-width letters are normalised before prediction.
    assert model.predict("單身宿舍暖氣不熱，晚上凍得睡不著")[0] == "住房"


def test_confidences_are_probabilities(model: classify.Model) -> None:
    scores = model.scores(["食堂饭菜太咸", "今天天气不错"])
    assert scores.shape == (2, len(model.labels))
    assert scores.sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-6)
    sure = model.predict("食堂饭菜价格又涨了")[1]
    unsure = model.predict("今天天气不错")[1]
    assert sure > 0.8
    assert unsure < 0.6  # about none of the categories


def test_the_model_survives_serialisation(model: classify.Model) -> None:
    restored = classify.Model.from_bytes(model.to_bytes())
    text = "矿灯电池续航不够，下井后半班就没电了"
    assert restored.predict(text) == model.predict(text)
    with pytest.raises(ValueError, match="format"):
        classify.Model.from_bytes(__import__("pickle").dumps((99, model)))


def test_few_examples_give_a_softmax_confidence() -> None:
    texts = ["食堂饭菜太咸", "食堂排队太久", "班车晚点", "班车超员"]
    model = classify.train(texts, ["食堂", "食堂", "通勤班车", "通勤班车"])
    assert not model.calibrated
    label, confidence = model.predict("食堂的饭菜")
    assert label == "食堂"
    assert 0.5 < confidence < 1.0


def test_training_needs_two_categories() -> None:
    with pytest.raises(ValueError, match="two categories"):
        classify.train(["食堂饭菜太咸", "食堂排队太久"], ["食堂", "食堂"])


def test_keyword_rules_cold_start() -> None:
    assert classify.rules_predict("食堂饭菜太咸了", RULES) == (
        "食堂",
        pytest.approx(2 / 3, abs=1e-4),
    )
    assert classify.rules_predict("班車經常晚點", RULES) == ("通勤班车", 0.5)  # traditional
    assert classify.rules_predict("矿灯电池续航不够", RULES) is None
    # A tie goes to the category listed first; a shared hit lowers the confidence.
    assert classify.rules_predict("宿舍门口的班车站", RULES) == (
        "通勤班车",
        pytest.approx(1 / 3, abs=1e-4),
    )
    assert classify.rules_predict("宿舍门口的班车站", dict(reversed(RULES.items()))) == (
        "住房",
        pytest.approx(1 / 3, abs=1e-4),
    )


def test_evaluate_reports_the_cross_validated_scores(
    labelled: tuple[list[str], list[str]],
) -> None:
    texts, labels = labelled
    result = classify.evaluate(texts, labels, folds=5)
    assert result.items == 600
    assert result.folds == 5
    assert set(result.per_class_f1) == set(labels)
    assert sum(result.support.values()) == 600
    assert result.macro_f1 >= 0.95
    assert result.accuracy >= 0.95
    assert result.train_seconds > 0
    assert 0 < result.predict_ms_per_item < 50


def test_evaluate_can_keep_near_duplicates_in_one_fold() -> None:
    texts = ["三号井食堂饭菜太咸了，希望改进。"] * 10 + ["通勤班车经常晚点，上班迟到被考核。"] * 10
    texts += ["宿舍暖气不热，晚上冻得睡不着。"] * 10
    labels = ["食堂"] * 10 + ["通勤班车"] * 10 + ["住房"] * 10
    plain = classify.evaluate(texts, labels, folds=5)
    grouped = classify.evaluate(texts, labels, folds=3, group_duplicates=True)
    assert plain.macro_f1 == 1.0  # every text was seen in training
    assert grouped.macro_f1 < 0.5  # each category's only wording is held out
    assert len(set(classify.near_duplicate_groups(texts))) == 3


def test_a_new_model_replaces_the_old_only_when_not_worse(
    labelled: tuple[list[str], list[str]], model: classify.Model
) -> None:
    texts, labels = labelled
    heldout = voices(300, seed=12)
    weak = classify.train(texts[:40], labels[:40])
    assert classify.better_or_equal(model, weak, heldout)
    assert not classify.better_or_equal(weak, model, heldout)
    assert classify.better_or_equal(model, model, heldout)
    assert classify.better_or_equal(weak, None, heldout)
