"""A trained category model's prediction in plain Python: no scikit-learn, scipy or numpy.

The case page suggests a category with the active model. Unpickling the trained pipeline
(``classify.Model``) imports scikit-learn and scipy into the web worker that serves it, more
memory than the whole rest of the worker. Predicting needs much less: the TF-IDF vocabulary and
idf weights, the linear SVM's coefficients and intercepts, and each category's sigmoid (Platt
scaling). ``PlainModel`` keeps just these, written beside the pipeline when a model is trained
(``from_model``), and computes what the pipeline computes:

- the text normalised (``normalize``), lower-cased, runs of white space made one space, then its
  characters and character pairs counted, those outside the vocabulary dropped;
- each count ``c`` weighted ``(1 + ln c) * idf`` and the row scaled to unit length, in single
  precision like the pipeline's (its ``dtype`` is float32);
- the decision score of every category, the category the highest score's, and the confidence the
  normalised sigmoids (calibrated) or the softmax of the scores (too few examples to calibrate).

A text's characters are few, so a prediction is a few thousand multiplications: fast enough for
one page without numpy. ``tests/insight/test_plain_model.py`` checks that the categories are the
pipeline's and the confidences equal to 1e-6.
"""

from __future__ import annotations

import json
import math
import re
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xinsheng.core.normalize import normalize

if TYPE_CHECKING:
    from xinsheng.insight.nlp.classify import Model, Prediction

_MAGIC = b"xinsheng-plain-model-1\n"
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass
class PlainModel:
    """What predicting with a trained category model needs, in plain Python values."""

    labels: tuple[str, ...]
    calibrated: bool
    vocabulary: dict[str, int]
    idf: array[float]  # single precision, one per term
    coef: array[float]  # term by term, one value per row of the SVM (one row for two categories)
    intercept: list[float]
    sigmoids: list[tuple[float, float]]  # Platt's a and b per row, when calibrated

    @property
    def rows(self) -> int:
        return len(self.intercept)

    def predict(self, text: str) -> Prediction:
        """Return the most likely category of ``text`` and its confidence in [0, 1]."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Return the category and confidence of each of ``texts``, as the pipeline does."""
        found = []
        for text in texts:
            decision = self.decision(normalize(text))
            best = max(range(len(decision)), key=decision.__getitem__)  # the first of equals
            found.append((self.labels[best], round(self.confidences(decision)[best], 4)))
        return found

    def features(self, normalized: str) -> dict[int, float]:
        """Return the unit-length TF-IDF weights of a normalised text, by term."""
        text = _WHITE_SPACES.sub(" ", normalized.lower())
        grams = [*text, *(text[i : i + 2] for i in range(len(text) - 1))]
        counts = Counter(j for gram in grams if (j := self.vocabulary.get(gram)) is not None)
        if not counts:
            return {}
        terms = sorted(counts)
        tf = _single([1.0 + value for value in _single([math.log(counts[j]) for j in terms])])
        weights = _single([value * self.idf[j] for value, j in zip(tf, terms, strict=True)])
        norm = math.sqrt(sum(value * value for value in weights))
        scaled = _single([value / norm for value in weights]) if norm else weights
        return dict(zip(terms, scaled, strict=True))

    def decision(self, normalized: str) -> list[float]:
        """Return the SVM's score of every category for a normalised text."""
        rows = self.rows
        scores = list(self.intercept)
        for j, value in self.features(normalized).items():
            start = j * rows
            for row in range(rows):
                scores[row] += value * self.coef[start + row]
        if rows == 1:  # two categories: one score, for the second
            return [-scores[0], scores[0]]
        return scores

    def confidences(self, decision: list[float]) -> list[float]:
        """Return the confidence of every category from its decision scores."""
        if not self.calibrated:
            top = max(decision)
            exp = [math.exp(score - top) for score in decision]
            total = sum(exp)
            return [value / total for value in exp]
        if self.rows == 1:
            a, b = self.sigmoids[0]
            second = _expit(-(a * decision[1] + b))
            return [1.0 - second, second]
        probabilities = [
            _expit(-(a * score + b)) for score, (a, b) in zip(decision, self.sigmoids, strict=True)
        ]
        total = sum(probabilities)
        if total == 0:
            return [1.0 / len(probabilities)] * len(probabilities)
        return [min(value / total, 1.0) for value in probabilities]

    @classmethod
    def from_model(cls, model: Model) -> PlainModel:
        """Take what prediction needs from a trained pipeline (scikit-learn is loaded then)."""
        tfidf = model.pipeline.named_steps["tfidf"]
        expected = {
            "analyzer": "char",
            "ngram_range": (1, 2),
            "sublinear_tf": True,
            "lowercase": True,
            "norm": "l2",
            "use_idf": True,
            "strip_accents": None,
            "preprocessor": None,
        }
        settings = {key: getattr(tfidf, key) for key in expected}
        if settings != expected:
            raise ValueError(f"a pipeline this form cannot follow: {settings}")
        svm = model.pipeline.named_steps["svm"]
        sigmoids: list[tuple[float, float]] = []
        if model.calibrated:
            calibrated = svm.calibrated_classifiers_[0]
            if len(svm.calibrated_classifiers_) != 1 or calibrated.method != "sigmoid":
                raise ValueError("only one sigmoid-calibrated classifier can be followed")
            sigmoids = [(float(c.a_), float(c.b_)) for c in calibrated.calibrators]
            svm = calibrated.estimator
        terms = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
        coef = svm.coef_.T.astype("float64")  # term by term
        return cls(
            labels=model.labels,
            calibrated=model.calibrated,
            vocabulary={term: j for j, term in enumerate(terms)},
            idf=array("f", tfidf.idf_.astype("float32").tobytes()),
            coef=array("d", coef.tobytes(order="C")),
            intercept=[float(value) for value in svm.intercept_],
            sigmoids=sigmoids,
        )

    def to_bytes(self) -> bytes:
        """Return the model as bytes to store: a JSON header and two arrays, no pickle."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        header = json.dumps(
            {
                "labels": list(self.labels),
                "calibrated": self.calibrated,
                "terms": terms,
                "intercept": self.intercept,
                "sigmoids": self.sigmoids,
            },
            ensure_ascii=False,
        ).encode()
        return b"".join(
            [
                _MAGIC,
                struct.pack("<Q", len(header)),
                header,
                _little(self.idf).tobytes(),
                _little(self.coef).tobytes(),
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> PlainModel:
        """Return the model that ``to_bytes`` wrote."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a plain model")
        at = len(_MAGIC)
        (size,) = struct.unpack_from("<Q", data, at)
        at += 8
        header = json.loads(data[at : at + size])
        at += size
        terms = header["terms"]
        idf = _little(array("f", data[at : at + 4 * len(terms)]))
        at += 4 * len(terms)
        coef = _little(array("d", data[at:]))
        if len(coef) != len(terms) * len(header["intercept"]):
            raise ValueError("a plain model of the wrong size")
        return cls(
            labels=tuple(header["labels"]),
            calibrated=header["calibrated"],
            vocabulary={term: j for j, term in enumerate(terms)},
            idf=idf,
            coef=coef,
            intercept=[float(value) for value in header["intercept"]],
            sigmoids=[(float(a), float(b)) for a, b in header["sigmoids"]],
        )


def _single(values: list[float]) -> list[float]:
    """Round each value to single precision, as the pipeline's float32 arrays hold them."""
    return array("f", values).tolist()


def _little(values: array[float]) -> array[float]:
    """Return ``values`` in little-endian byte order (stored so on every machine)."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values


def _expit(x: float) -> float:
    """Return the logistic function of ``x`` without overflowing."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    exp = math.exp(x)
    return exp / (1.0 + exp)
