"""Training questions asked again in other words, for the refusal model (`fit.py paraphrase`).

Real users seldom write a question in the words of the passage that answers it (真正开工的比例 for 开工率); the
training sets mostly do, so the refusal model learnt that a question whose rarest words the best passage lacks is
unanswerable, and refused paraphrased questions whose passage it had found. Each answerable question of a set is
written again with its weightiest common word (not a name, a place, a time or a number) replaced by another word
of the jieba dictionary that the library holds about as often (document frequency within a factor of
`DF_BAND`), drawn with a seed of its own: the question still has its answer in the library, in a passage that
now lacks one of its words, as a paraphrase's does; asked with the answer's documents removed (as `collect` does
for every set) it is a negative of the same kind.

The words are random, not synonyms: what the refusal model reads of a question is how much of it the passages
cover and how rare what they miss is, not what the words mean, and a random word of the same rarity costs the
passage what an unknown synonym costs it. The rewritten sets are written to .bench/paraphrased/<set>-para.jsonl
and read as sets of their own (`evalsets.py run --sets cmrc-para`, `fit.py collect --sets cmrc-para`), asked of
their set's library.
"""

from __future__ import annotations

import bisect
import json
import math
import random
import re
import zlib

from benchmarks import evalsets

PARAPHRASED = evalsets.PARAPHRASED
DF_BAND = 2.0  # the new word's document frequency lies within this factor of the replaced word's
VOCABULARY = 30_000  # dictionary words drawn (once per library) to choose replacements from
_CJK = re.compile(r"[\u4e00-\u9fff]{2,4}")


def write(name: str) -> evalsets.EvalSet:
    """Rewrite every answerable question of set `name` that has a word to replace; returns the new set."""
    from retrieval.analysis import analyze_question
    from retrieval.backends import open_index

    base = evalsets.SETS[name]
    stats = open_index(base.index).words
    vocabulary = _vocabulary(stats)
    out = []
    for q in evalsets.load_questions(base):
        if not q.get("answerable", True) or q.get("history"):
            continue  # (a follow-up's words are read with its history: not rewritten)
        rng = random.Random(zlib.crc32(f"{name}/{q.get('qid')}".encode()))
        reworded = _reworded(q["question"], analyze_question(q["question"], stats=stats), stats, vocabulary, rng)
        if reworded:
            out.append(q | {"qid": f"{q.get('qid')}-para", "question": reworded, "kind": "paraphrase"})
    PARAPHRASED.mkdir(parents=True, exist_ok=True)
    path = PARAPHRASED / f"{name}-para.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in out), encoding="utf-8")
    made = evalsets.own_set(path)
    assert made is not None  # (its base is the set `name`)
    evalsets.SETS[path.stem] = made
    return made


def _vocabulary(stats) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """Dictionary words of two to four characters with their log document frequency in the library, sorted."""
    from retrieval.tokenize import pos_tagger

    tokenizer = pos_tagger().dt.tokenizer
    tokenizer.check_initialized()
    words = sorted(w for w, f in tokenizer.FREQ.items() if f and _CJK.fullmatch(w))
    drawn = random.Random(0).sample(words, min(VOCABULARY, len(words)))
    return sorted((math.log(df), w) for w in drawn if (df := stats.df(w)))


def _reworded(question: str, a, stats, vocabulary: list[tuple[float, str]],  # type: ignore[no-untyped-def]
              rng: random.Random) -> str:
    words = [t for t in a.terms if t.kind == "word" and not t.entity and not t.carried and len(t.text) >= 2
             and t.text in question and stats.df(t.text)]
    if not words:
        return ""
    target = max(words, key=lambda t: t.weight)
    low = math.log(stats.df(target.text)) - math.log(DF_BAND)
    start = bisect.bisect_left(vocabulary, (low, ""))
    end = bisect.bisect_right(vocabulary, (low + 2 * math.log(DF_BAND), "\uffff"))
    choices = [w for _, w in vocabulary[start:end] if w not in question and target.text not in w]
    return question.replace(target.text, rng.choice(choices), 1) if choices else ""
