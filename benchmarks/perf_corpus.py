"""The libraries perf.py ingests, written from ../shared/corpus-news as speechbot .jsonl files.

- news: every article once (68,221), title = its first 30 characters, as a user would ingest them.
- recombined: new documents made of the news paragraphs until a number of passages is reached. Document k of round
  r takes the paragraphs of three articles (k, and two more picked by a generator seeded with k and r) in an
  order shuffled by the same generator, so every round is a new set of documents of real text whose near-
  duplicate fingerprints stay far apart. Files of 20,000 documents each keep the reader's memory small.
- extra: 100 articles the library does not hold, for the add-100 step (from the corpus's last articles, held out
  of `news` for that purpose when the news library is built with `hold_out`).
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

FILE_DOCS = 20_000
PASSAGE_CHARS = 230  # average characters per passage at the default chunk size (260) on news text


def articles(news_gz: Path) -> Iterator[dict]:
    with gzip.open(news_gz, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text"):
                yield rec


def _record(doc_id: str, text: str, date: str | None) -> str:
    out = {"doc_id": doc_id, "title": text[:30], "text": text}
    if date:
        out["date"] = date
    return json.dumps(out, ensure_ascii=False) + "\n"


def write_news(news_gz: Path, folder: Path, hold_out: int = 100, limit: int | None = None) -> tuple[list[Path], Path,
                                                                                               int]:
    """All articles (or the first `limit`) but the last `hold_out` as the library, those as the add file; returns
    (files, extra, characters of the library)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    recs = list(articles(news_gz))
    recs = recs[:limit] if limit else recs
    library, extra = recs[:-hold_out], recs[-hold_out:]
    files, chars = [], 0
    for i in range(0, len(library), FILE_DOCS):
        path = folder / f"news-{i // FILE_DOCS:02d}.jsonl"
        part = library[i : i + FILE_DOCS]
        path.write_text("".join(_record(r["doc_id"], r["text"], r.get("date")) for r in part), encoding="utf-8")
        files.append(path)
        chars += sum(len(r["text"]) for r in part)
    return files, write_extra(extra, folder.parent / f"{folder.name}-extra.jsonl"), chars


def write_extra(recs: list[dict], path: Path) -> Path:
    """Articles to add to a library, under new ids."""
    path.write_text("".join(_record(f"extra-{r['doc_id']}", r["text"], r.get("date")) for r in recs),
                    encoding="utf-8")
    return path


def last_articles(news_gz: Path, n: int) -> list[dict]:
    return list(articles(news_gz))[-n:]


def write_recombined(news_gz: Path, folder: Path, passages: int) -> tuple[list[Path], int]:
    """Documents recombined from news paragraphs until about `passages` passages; returns (files, characters)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    paras = [[p for p in r["text"].split("\n") if p.strip()] or [r["text"]] for r in articles(news_gz)]
    dates = [r.get("date") for r in articles(news_gz)]
    target_chars, chars, files, batch, k = passages * PASSAGE_CHARS, 0, [], [], 0
    while chars < target_chars:
        rnd, i = divmod(k, len(paras))
        rng = random.Random(k * 7919 + rnd)
        picked = [paras[i], paras[rng.randrange(len(paras))], paras[rng.randrange(len(paras))]]
        body = [p for ps in picked for p in ps]
        rng.shuffle(body)
        text = "\n".join(body)
        batch.append(_record(f"mix-{k:07d}", text, dates[i]))
        chars += len(text)
        k += 1
        if len(batch) == FILE_DOCS or chars >= target_chars:
            path = folder / f"mix-{len(files):03d}.jsonl"
            path.write_text("".join(batch), encoding="utf-8")
            files.append(path)
            batch = []
    return files, chars
