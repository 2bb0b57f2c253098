"""Chunking by outline: heading paths, whole sentences, one section per chunk, overlap, notes, preamble."""

from __future__ import annotations

import pytest

from ingest.chunking import chunk
from ingest.clean import clean
from ingest.models import SourceDoc
from ingest.outline import detect_heading
from ingest.pipeline import prepare
from retrieval.sentences import sentences
from retrieval.textnorm import normalize
from tests.speech_fixtures import SPEECH_QINGHE


def _prepared(text: str, size: int = 260, overlap: int = 1):
    return prepare(SourceDoc(path="qinghe.txt", raw=text, format="txt"), "qinghe", size, overlap)


@pytest.fixture(scope="module")
def qinghe():
    return _prepared(SPEECH_QINGHE)


def _sentence_ends(text: str) -> set[int]:
    return {e for a, b in ((0, len(text)),) for _, e in sentences(text[a:b], a)} | {
        e for pa, pb in _paras(text) for _, e in sentences(text[pa:pb], pa)}


def _paras(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def test_heading_paths_nest_outline_levels(qinghe) -> None:
    headings = [c.heading for c in qinghe.chunks]
    assert "二、突出重点，扎实推进今年各项工作 > （一）全力抓好招商引资" in headings
    assert "二、突出重点，扎实推进今年各项工作 > （二）持续化解债务风险" in headings
    assert "三、转变作风，确保各项任务落到实处" in headings
    debt = next(c for c in qinghe.chunks if "隐性债务" in c.text)
    assert debt.heading.endswith("（二）持续化解债务风险")
    assert any(c.heading.split(" > ")[-1].startswith("一是") for c in qinghe.chunks)


def test_chunks_are_text_slices_ending_at_sentence_ends(qinghe) -> None:
    text = qinghe.doc.text
    ends = _sentence_ends(text)
    for c in qinghe.chunks:
        assert c.text == text[c.start : c.end]
        assert c.end in ends, f"chunk cut inside a sentence: {c.text[-20:]!r}"
        assert c.start in {a for pa, pb in _paras(text) for a, _ in sentences(text[pa:pb], pa)}


_LAST = "三是要强化考核，每季度通报一次进展情况。"
LONG_PARAGRAPH = SPEECH_QINGHE.replace(_LAST, _LAST + "".join(
    f"第{n}季度要召开一次推进会，逐个项目研究解决问题。" for n in "一二三四"))


def test_small_chunks_never_cut_a_sentence_and_overlap_repeats_the_last_one() -> None:
    p = _prepared(LONG_PARAGRAPH, size=60, overlap=1)
    text = p.doc.text
    ends = _sentence_ends(text)
    assert all(c.end in ends for c in p.chunks)
    same_section = [(a, b) for a, b in zip(p.chunks, p.chunks[1:], strict=False) if a.heading == b.heading]
    overlapping = [(a, b) for a, b in same_section if b.start < a.end]
    assert overlapping, "no overlap between consecutive chunks of one section"
    for a, b in overlapping:
        last = sentences(text[a.start : a.end], a.start)[-1]
        assert b.start == last[0]


def test_no_overlap_when_zero() -> None:
    p = _prepared(LONG_PARAGRAPH, size=60, overlap=0)
    for a, b in zip(p.chunks, p.chunks[1:], strict=False):
        assert b.start >= a.end


def test_chunks_never_cross_sections(qinghe) -> None:
    text = qinghe.doc.text
    # outline markers only (is_first=True turns the short-line sub-head rule off)
    heads = [pa for pa, pb in _paras(text) if detect_heading(text[pa:pb], normalize(text[pa:pb]), is_first=True)]
    assert len(heads) >= 6
    for c in qinghe.chunks:
        inside = [h for h in heads if c.start < h < c.end]
        assert not inside, f"chunk {c.heading!r} crosses a heading at {inside}"


def test_editors_note_is_its_own_marked_chunk(qinghe) -> None:
    notes = [c for c in qinghe.chunks if c.note]
    assert len(notes) == 1
    assert "编者按" in notes[0].text and notes[0].heading == "编者按"
    assert not any(c.note for c in qinghe.chunks if "招商" in c.text)


def test_preamble_lines_are_not_sub_heads(qinghe) -> None:
    first = qinghe.chunks[0]
    assert first.heading == ""
    assert all("林海川" not in c.heading and "2024年2月18日" not in c.heading for c in qinghe.chunks)


def test_traditional_script_markers_are_found_on_the_normalised_text() -> None:
    text = ("標題\n一、堅持發展第一要務，這是我們的根本任務所在。要把經濟建設擺在中心位置，堅定不移推進改革開放。\n"
            "（一）加快項目建設\n今年要新開工項目二十個。")
    spans = chunk(text, normalize(text))
    assert spans[-1].heading == "一、堅持發展第一要務，這是我們的根本任務所在 > （一）加快項目建設"


def test_real_corpus_chunks_are_slices_and_cover_every_sentence(corpus_texts: dict[str, str]) -> None:
    for name, raw in corpus_texts.items():
        p = prepare(SourceDoc(path=name, raw=raw, format="txt"), name, 260, 1)
        text = p.doc.text
        assert p.chunks, name
        for c in p.chunks:
            assert c.text == text[c.start : c.end]
            assert c.norm == normalize(text)[c.start : c.end]
        covered = [(c.start, c.end) for c in p.chunks]
        for pa, pb in _paras(text):
            for a, b in sentences(text[pa:pb], pa):
                assert any(s <= a and b <= e for s, e in covered), f"{name}: sentence {text[a:b][:30]!r} in no chunk"


def test_clean_notes_feed_the_chunker() -> None:
    cleaned = clean(SPEECH_QINGHE)
    assert cleaned.notes
    spans = chunk(cleaned.text, normalize(cleaned.text), cleaned.notes)
    assert [s.note for s in spans].count(True) == 1


def test_a_run_without_sentence_ends_is_cut_at_a_fixed_length() -> None:
    from ingest.chunking import LONG_SENTENCE

    body = "字" * 500 + "，" + "经济发展" * 1000 + "。短句。"
    text = "标题\n" + body
    spans = chunk(text, text, size=260)
    pieces = [text[s.start : s.end] for s in spans]
    assert max(len(p) for p in pieces) <= LONG_SENTENCE
    assert pieces[-1].endswith("短句。")
    assert any(p.endswith("，") for p in pieces)  # cut after the comma in the window's second half
    joined = "".join(p for p in pieces if p != "标题")
    assert joined.replace("短句。", "", 1).startswith(body[:-3]) or body in joined  # nothing lost, in order
