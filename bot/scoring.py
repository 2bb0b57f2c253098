"""The answerer's numbers in one place: two fitted linear models and every threshold, named.

`bot/data/scoring.json` is written by `benchmarks/fit.py` and read here; nothing in the answerer is a bare number.
- `sentence`: the probability that a sentence answers the question (logistic regression over
  bot.features.FEATURES), fit on the training sets' retrieved sentences;
- `answerable`: the probability that the library answers the question at all (over QUESTION_FEATURES): gradient-
  boosted trees (bot.trees) or a linear model, fit on their questions against the same questions with the
  answer's documents removed and with the answer's sentences taken out (calibrated refusal).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bot.features import FEATURES, QUESTION_FEATURES
from bot.trees import Forest


class ScoringError(ValueError):
    """The scoring file does not fit this answerer (other features, missing fields)."""


@dataclass(frozen=True)
class Linear:
    """A fitted logistic model over named features."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, f: dict[str, float]) -> float:
        z = self.bias + sum(w * f[name] for name, w in zip(self.features, self.weights, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def check(self, expected: tuple[str, ...], what: str) -> None:
        if tuple(self.features) != expected:
            missing = sorted(set(expected) - set(self.features))
            extra = sorted(set(self.features) - set(expected))
            raise ScoringError(f"scoring file: the {what} model's features differ from the answerer's (missing "
                               f"{missing}, extra {extra}); rerun benchmarks/fit.py")
        if len(self.weights) != len(self.features):
            raise ScoringError(f"scoring file: the {what} model has {len(self.weights)} weights for "
                               f"{len(self.features)} features")


@dataclass(frozen=True)
class Scoring:
    sentence: Linear
    answerable: Linear | Forest
    answer_threshold: float  # below this probability that the library answers, refuse
    second_ratio: float  # a second sentence is quoted when it scores this share of the best
    topic_threshold: float  # a model may read the passages when their coverage of the question reaches this
    list_items: int = 6  # enumerated items quoted for a list question of unknown length
    list_follow_chars: int = 1500  # how far past the best sentence list items are looked for
    outline_cover: float = 0.5  # a list question is answered by a speech's outline items (bot.outline) when the
    # heading and its items hold this share of its words
    # which sentence answers: a model fit to rank a question's answer sentences above its other candidates (its
    # score again a probability); None: the sentence scorer's order. Refusal always reads the sentence scorer.
    choice: Linear | None = None
    fit: dict = field(default_factory=dict)  # how and on what the numbers were fit (for the record)

    def __post_init__(self) -> None:
        self.sentence.check(FEATURES, "sentence")
        if self.choice is not None:
            self.choice.check(FEATURES, "choice")
        self.answerable.check(QUESTION_FEATURES, "answerable")

    def to_json(self) -> str:
        """Readable where it matters (thresholds, weights), compact where it does not (the trees)."""
        data = asdict(self)
        trees = data["answerable"].pop("trees", None)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if trees is None:
            return text
        rows = ",\n".join(json.dumps(t, separators=(",", ":")) for t in trees)
        return text[:-2] + ',\n "answerable_trees": [\n' + rows + "\n ]\n}"


def _linear(data: dict) -> Linear:
    return Linear(tuple(data["features"]), tuple(data["weights"]), float(data["bias"]))


def _model(data: dict) -> Linear | Forest:
    if "trees" in data:
        trees = tuple(tuple((int(n[0]), float(n[1]), int(n[2]), int(n[3]), float(n[4]), bool(n[5])) for n in t)
                      for t in data["trees"])
        return Forest(tuple(data["features"]), trees, float(data["baseline"]))
    return _linear(data)


def from_json(text: str) -> Scoring:
    data = json.loads(text)
    if "answerable_trees" in data:
        data["answerable"]["trees"] = data.pop("answerable_trees")
    try:
        choice = _linear(data["choice"]) if data.get("choice") is not None else None
        return Scoring(**{**data, "sentence": _linear(data["sentence"]), "answerable": _model(data["answerable"]),
                          "choice": choice})
    except (TypeError, KeyError) as exc:
        raise ScoringError(f"scoring file: {exc}") from exc


@lru_cache(maxsize=4)
def load_scoring(path: Path | None = None) -> Scoring:
    """The fitted scoring shipped with the package, or the file at `path`."""
    text = path.read_text(encoding="utf-8") if path else (
        resources.files("bot.data").joinpath("scoring.json").read_text(encoding="utf-8"))
    return from_json(text)
