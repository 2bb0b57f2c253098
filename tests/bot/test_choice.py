"""The choice model picks the answer sentence; refusal reads the sentence scorer alone."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, ingest, write

from bot.extractive import ExtractiveAnswerer, admissible
from bot.features import FEATURES
from bot.scoring import Linear, ScoringError, from_json, load_scoring
from speechbot import wiring
from speechbot.settings import Settings


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("choice")
    src = root / "src"
    write(src, "qinghe.txt", SPEECH_QINGHE)
    write(src, "lanshan.txt", SPEECH_LANSHAN)
    ingest(root / "index", src)
    return root / "index"


def test_the_shipped_scoring_file_has_a_choice_model_that_survives_a_round_trip() -> None:
    scoring = load_scoring()
    assert scoring.choice is not None and scoring.choice.features == FEATURES
    assert from_json(scoring.to_json()) == scoring


def test_a_choice_model_over_other_features_is_refused_by_name() -> None:
    data = json.loads(load_scoring().to_json())
    data["choice"]["features"] = data["choice"]["features"][:-1]
    data["choice"]["weights"] = data["choice"]["weights"][:-1]
    with pytest.raises(ScoringError, match="choice"):
        from_json(json.dumps(data))


def test_without_a_choice_model_the_sentence_scorer_chooses() -> None:
    data = json.loads(load_scoring().to_json())
    data["choice"] = None
    assert from_json(json.dumps(data)).choice is None


def test_the_choice_model_orders_the_candidates_and_refusal_does_not_follow_it(index_dir: Path) -> None:
    bot = wiring.make_bot(Settings(index=index_dir, data_dir=index_dir.parent))
    a = bot.analyze("青禾县今年要引进多少个亿元以上项目?")
    hits = bot.retrieve(a)
    scoring = load_scoring()
    sentence = scoring.sentence
    reversed_choice = Linear(FEATURES, tuple(-w for w in sentence.weights), -sentence.bias)
    plain = ExtractiveAnswerer(dataclasses.replace(scoring, choice=None))
    contrary = ExtractiveAnswerer(dataclasses.replace(scoring, choice=reversed_choice))
    by_score, by_choice = plain.scored(a, hits), contrary.scored(a, hits)
    assert [c.choice for c in by_score] == [c.score for c in by_score]  # no choice model: the scorer's order
    assert by_choice[0].norm == by_score[-1].norm  # the reversed model chooses the scorer's last sentence first
    assert [c.score for c in sorted(by_choice, key=lambda c: -c.score)] == [c.score for c in by_score]
    allowed_plain = [c for c in by_score if admissible(c)]
    allowed_contrary = [c for c in by_choice if admissible(c)]
    assert plain.answerable(a, allowed_plain, hits) == contrary.answerable(a, allowed_contrary, hits)
