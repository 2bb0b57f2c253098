"""benchmarks/paraphrase.py: a training question asked again with its weightiest common word replaced."""

import math
import random

from benchmarks.paraphrase import DF_BAND, _reworded
from retrieval.analysis import analyze_question

DF = {"青禾县": 3, "茶园": 40, "面积": 400, "扩大": 300, "产量": 350, "码头": 45, "绿化": 38, "面条": 200}


class Stats:
    n_docs = 1000

    def df(self, token: str) -> int:
        return DF.get(token, 0)

    def idf(self, token: str) -> float:
        df = self.df(token)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))


VOCABULARY = sorted((math.log(df), w) for w, df in DF.items())


def test_the_weightiest_common_word_is_replaced_by_a_word_of_like_rarity() -> None:
    question = "青禾县的茶园面积扩大了多少?"
    out = _reworded(question, analyze_question(question, stats=Stats()), Stats(), VOCABULARY, random.Random(1))
    assert out.startswith("青禾县的") and "茶园" not in out  # the place stays; the rarest common word goes
    new = out.removeprefix("青禾县的").removesuffix("面积扩大了多少?")
    assert new in ("码头", "绿化")  # document frequency within DF_BAND of the replaced word's
    assert all(1 / DF_BAND <= DF[w] / DF["茶园"] <= DF_BAND for w in ("码头", "绿化"))
    again = _reworded(question, analyze_question(question, stats=Stats()), Stats(), VOCABULARY, random.Random(1))
    assert again == out  # the same seed draws the same word


def test_a_question_with_no_common_word_the_library_holds_is_not_rewritten() -> None:
    question = "青禾县在哪里?"
    assert _reworded(question, analyze_question(question, stats=Stats()), Stats(), VOCABULARY, random.Random(1)) == ""
