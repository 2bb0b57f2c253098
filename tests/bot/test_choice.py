"""The scoring file's choice model (which sentence answers); how the answerer uses it: tests/bot/test_bot.py."""

from __future__ import annotations

import json

import pytest

from bot.features import FEATURES
from bot.scoring import ScoringError, from_json, load_scoring


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
