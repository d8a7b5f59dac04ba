"""Suggest a category for a voice: keyword rules to start with, then a model trained on cases.

The production pipeline (``train``): texts are normalised (``normalize``), turned into TF-IDF
weights of single characters and character pairs (sublinear term frequency, so no word
segmentation is needed and new words still share characters with known ones), and a linear
support-vector machine (``LinearSVC``, C = 1, one-vs-rest) learns the categories. Pairs
generalised better to wordings never seen in training than pairs and triples, or than added
jieba words, balanced class weights or a smaller C (see ``docs/insight.md``). The category is the
SVM's own choice; calibration only gives it a confidence.

Confidence: when every category has at least ``CALIBRATION_FOLDS`` examples, the SVM is wrapped
in ``CalibratedClassifierCV`` with Platt scaling and ``ensemble=False``: one SVM trained on all
the data, a sigmoid per category fitted on its internal cross-validated scores, the per-category
probabilities normalised to sum to one. The
confidence is then a probability that can be compared across texts ("suggest only above 0.6").
Platt scaling was chosen over temperature scaling: both fit quickly, but a text about none of the
categories (``今天天气不错``) gets 0.2–0.35 with Platt scaling and up to 1.0 with one temperature
when the training texts are easy to separate. With fewer examples the confidence is the plain
softmax of the decision scores — an ordering, not a probability.

Cold start (``rules_predict``): administrators list keywords per category; the category whose
keywords occur most often wins.

``evaluate`` runs stratified k-fold cross-validation of this same pipeline and reports accuracy,
macro-F1, per-class F1 and timings. ``better_or_equal`` decides whether a retrained model may
replace the one in use: only when it is not worse on held-out data.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from xinsheng.core.normalize import normalize

if TYPE_CHECKING:  # numpy and scikit-learn are imported where a model is trained or scored
    import numpy as np
    import numpy.typing as npt
    from sklearn.pipeline import Pipeline  # type: ignore[import-untyped]

CALIBRATION_FOLDS = 3
# Regularisation of the SVM: C = 1, the plain baseline's, so that the category chosen is the
# baseline's own (see docs/insight.md for the other settings tried on held-out wordings).
SVM_C = 1.0
_FORMAT = 1

Prediction = tuple[str, float]


class Predictor(Protocol):
    """A trained category model as its users see it: the pipeline, or its plain form."""

    labels: tuple[str, ...]

    def predict(self, text: str) -> Prediction: ...

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]: ...


@dataclass
class Model:
    """A trained category model: the fitted pipeline and what it was trained on."""

    pipeline: Pipeline
    labels: tuple[str, ...]
    calibrated: bool
    trained_on: int
    train_seconds: float

    def predict(self, text: str) -> Prediction:
        """Return the most likely category of ``text`` and its confidence in [0, 1]."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Return the category and confidence of each of ``texts``."""
        normalized = [normalize(text) for text in texts]
        scores = self.scores(normalized)
        best = self.best(normalized)
        return [
            (self.labels[i], round(float(row[i]), 4)) for i, row in zip(best, scores, strict=True)
        ]

    def best(self, normalized: Sequence[str]) -> npt.NDArray[np.int64]:
        """Return the index in ``labels`` of each (normalised) text's category.

        The category is the linear SVM's own choice (trained on all the data); calibration only
        turns its scores into a confidence, and is not allowed to change the choice.
        """
        import numpy as np

        decision = self._decision(normalized)
        return np.asarray(decision.argmax(axis=1), dtype=np.int64)

    def _decision(self, normalized: Sequence[str]) -> npt.NDArray[np.float64]:
        import numpy as np

        svm = self.pipeline.named_steps["svm"]
        if self.calibrated:
            svm = svm.calibrated_classifiers_[0].estimator
        features = self.pipeline.named_steps["tfidf"].transform(normalized)
        decision = np.asarray(svm.decision_function(features), dtype=np.float64)
        if decision.ndim == 1:  # two categories: one score for the second
            decision = np.column_stack([-decision, decision])
        return decision

    def scores(self, normalized: Sequence[str]) -> npt.NDArray[np.float64]:
        """Return one row of confidences per (already normalised) text, columns ``labels``."""
        import numpy as np

        if self.calibrated:
            return np.asarray(self.pipeline.predict_proba(normalized), dtype=np.float64)
        decision = self._decision(normalized)
        exp = np.exp(decision - decision.max(axis=1, keepdims=True))
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)

    def to_bytes(self) -> bytes:
        """Return the model as bytes, to store; load only bytes this installation wrote."""
        return pickle.dumps((_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """Return the model that ``to_bytes`` wrote (pickle: trusted storage only)."""
        version, model = pickle.loads(data)  # noqa: S301 — our own stored models only
        if version != _FORMAT or not isinstance(model, cls):
            raise ValueError("unknown model format")
        return model


def make_pipeline(*, calibrate: bool) -> Pipeline:
    """Return the untrained production pipeline: char 1–2-gram TF-IDF and a linear SVM."""
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    features = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=1, dtype=np.float32
    )
    svm = LinearSVC(C=SVM_C)
    if calibrate:
        return Pipeline(
            [
                ("tfidf", features),
                (
                    "svm",
                    CalibratedClassifierCV(
                        svm, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=False
                    ),
                ),
            ]
        )
    return Pipeline([("tfidf", features), ("svm", svm)])


def baseline_pipeline() -> Pipeline:
    """Return the plain baseline: char 1–2-gram TF-IDF (sublinear tf) and a default linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)),
            ("svm", LinearSVC()),
        ]
    )


def train(texts: Sequence[str], labels: Sequence[str]) -> Model:
    """Train the production pipeline on labelled ``texts``; at least two categories are needed."""
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    if len(set(labels)) < 2:
        raise ValueError("at least two categories are needed to train")
    import numpy as np

    return _train_normalized([normalize(text) for text in texts], np.asarray(labels, dtype=str))


def rules_predict(text: str, rules: Mapping[str, Sequence[str]]) -> Prediction | None:
    """Return the category whose keywords occur most often in ``text``, or None if none occur.

    The confidence is ``hits of the winner / (all hits + 1)``: one lone keyword gives 0.5, three
    hits of one category 0.75, a hit shared with another category less. Ties go to the category
    listed first. Keywords are normalised like the text (traditional or full-width ones match).
    """
    clean = normalize(text).lower()
    hits: dict[str, int] = {}
    for label, keywords in rules.items():
        count = sum(clean.count(word) for word in _clean_keywords(keywords))
        if count:
            hits[label] = count
    if not hits:
        return None
    best = max(hits, key=lambda label: hits[label])  # first of equals, in rules order
    return best, round(hits[best] / (sum(hits.values()) + 1), 4)


def _clean_keywords(keywords: Sequence[str]) -> list[str]:
    return [word for word in (normalize(k).lower() for k in keywords) if word]


@dataclass
class Evaluation:
    """The cross-validated quality of the production pipeline on a labelled set."""

    folds: int
    items: int
    accuracy: float
    macro_f1: float
    per_class_f1: dict[str, float]
    support: dict[str, int]
    train_seconds: float  # mean per fold
    predict_ms_per_item: float
    calibrated: bool = field(default=False)
    baseline_macro_f1: float | None = None  # the plain baseline on the same folds
    baseline_per_class_f1: dict[str, float] = field(default_factory=dict)


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    group_duplicates: bool = False,
    baseline: bool = False,
) -> Evaluation:
    """Cross-validate the production pipeline with stratified ``folds``-fold splits.

    With ``baseline``, the plain baseline (``baseline_pipeline``) is trained and scored on the
    very same folds, for comparison.

    Every text is predicted once, by the model trained on the other folds; the scores are computed
    on all these predictions together. Categories with fewer examples than ``folds`` are kept (they
    are scored, but cannot appear in every fold).

    With ``group_duplicates``, near duplicates (``near_duplicate_groups``) stay in one fold, so
    the score says how well new wordings are recognised rather than repeated texts.
    """
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
    from sklearn.model_selection import (  # type: ignore[import-untyped]
        StratifiedGroupKFold,
        StratifiedKFold,
    )

    normalized = [normalize(text) for text in texts]
    y = np.asarray([str(label) for label in labels])
    groups = near_duplicate_groups(normalized) if group_duplicates else None
    splitter = (
        StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        if group_duplicates
        else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    )
    predicted = np.empty(len(y), dtype=object)
    plain = np.empty(len(y), dtype=object)
    train_seconds = 0.0
    predict_seconds = 0.0
    calibrated = True
    for train_rows, test_rows in splitter.split(normalized, y, groups):
        started = time.perf_counter()
        model = _train_normalized([normalized[i] for i in train_rows], y[train_rows])
        train_seconds += time.perf_counter() - started
        calibrated = calibrated and model.calibrated
        started = time.perf_counter()
        best = model.best([normalized[i] for i in test_rows])
        predicted[test_rows] = [model.labels[i] for i in best]
        predict_seconds += time.perf_counter() - started
        if baseline:
            fitted = baseline_pipeline().fit([normalized[i] for i in train_rows], y[train_rows])
            plain[test_rows] = fitted.predict([normalized[i] for i in test_rows])
    classes = sorted(set(y.tolist()))
    per_class = f1_score(y, predicted.astype(str), labels=classes, average=None, zero_division=0)
    plain_per_class = (
        f1_score(y, plain.astype(str), labels=classes, average=None, zero_division=0)
        if baseline
        else None
    )
    counts = _counts(y.tolist())
    return Evaluation(
        folds=folds,
        items=len(y),
        accuracy=float(accuracy_score(y, predicted.astype(str))),
        macro_f1=float(np.mean(per_class)),
        per_class_f1={label: float(f1) for label, f1 in zip(classes, per_class, strict=True)},
        support={label: counts[label] for label in classes},
        train_seconds=train_seconds / folds,
        predict_ms_per_item=predict_seconds * 1000 / len(y),
        calibrated=calibrated,
        baseline_macro_f1=float(np.mean(plain_per_class)) if plain_per_class is not None else None,
        baseline_per_class_f1=(
            {label: float(f1) for label, f1 in zip(classes, plain_per_class, strict=True)}
            if plain_per_class is not None
            else {}
        ),
    )


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = 0.5) -> list[int]:
    """Return a group number per text: texts linked by near-duplicate pairs share a group."""
    from xinsheng.insight.nlp.similar import SimilarIndex

    index = SimilarIndex()
    index.add_many(enumerate(texts))
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, text in enumerate(texts):
        for match in index.query(text, k=50, threshold=threshold):
            parent[root(match.key)] = root(i)
    return [root(i) for i in range(len(texts))]


def _train_normalized(texts: Sequence[str], labels: npt.NDArray[np.str_]) -> Model:
    """Train like ``train`` on texts that are normalised already (saves it per fold)."""
    counts = _counts(labels.tolist())
    calibrate = min(counts.values()) >= CALIBRATION_FOLDS
    pipeline = make_pipeline(calibrate=calibrate)
    started = time.perf_counter()
    pipeline.fit(list(texts), labels)
    return Model(
        pipeline=pipeline,
        labels=tuple(str(label) for label in pipeline.classes_),
        calibrated=calibrate,
        trained_on=len(texts),
        train_seconds=time.perf_counter() - started,
    )


def macro_f1(model: Predictor, texts: Sequence[str], labels: Sequence[str]) -> float:
    """Return the macro-F1 of ``model`` on labelled ``texts``."""
    from sklearn.metrics import f1_score

    predicted = [label for label, _ in model.predict_many(texts)]
    return float(f1_score(list(labels), predicted, average="macro", zero_division=0))


def better_or_equal(
    new: Model, old: Model | None, heldout: tuple[Sequence[str], Sequence[str]]
) -> bool:
    """Tell whether ``new`` may replace ``old``: its macro-F1 on ``heldout`` is not lower.

    ``heldout`` is ``(texts, labels)`` that neither model was trained on. Without an old model
    the new one is always taken.
    """
    if old is None:
        return True
    texts, labels = heldout
    return macro_f1(new, texts, labels) >= macro_f1(old, texts, labels) - 1e-9


def _counts(labels: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[str(label)] = counts.get(str(label), 0) + 1
    return counts
