"""Tests for ingest.readers: formats, encodings, failures."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from ingest.models import ReadFailure, SourceDoc
from ingest.readers import decode_bytes, html_to_text, iter_sources

SIMPLIFIED = "今年全市经济工作要坚持稳中求进,抓好招商引资和项目建设。"  # ~30 chars: the hard case
TRADITIONAL = "溫州通過大趕考,促進改革開放再出發,全市上下奮力邁進。"


def _docs(paths: list[Path]) -> list[SourceDoc | ReadFailure]:
    return list(iter_sources(paths))


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SIMPLIFIED.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"))
    a, b = _docs([tmp_path])
    assert isinstance(a, SourceDoc) and isinstance(b, SourceDoc)
    assert a.raw == b.raw == SIMPLIFIED
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")


@pytest.mark.parametrize("text", [SIMPLIFIED, SIMPLIFIED[:8], "会议", "青禾县委书记周明远讲话"])
def test_short_gbk_text_decodes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    (doc,) = _docs([path])
    assert isinstance(doc, SourceDoc)
    assert doc.raw == text
    assert doc.encoding == "gb18030"


@pytest.mark.parametrize("text", [TRADITIONAL, TRADITIONAL[:9], "發展", "講話"])
def test_short_big5_text_decodes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    (doc,) = _docs([path])
    assert isinstance(doc, SourceDoc)
    assert doc.raw == text
    assert doc.encoding == "big5"


def test_undecodable_file_fails_and_run_continues(tmp_path: Path) -> None:
    (tmp_path / "a_bad.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary")
    (tmp_path / "b_good.txt").write_text(SIMPLIFIED, encoding="utf-8")
    bad, good = _docs([tmp_path])
    assert isinstance(bad, ReadFailure) and "a_bad.txt" in bad.path and "decode" in bad.reason
    assert isinstance(good, SourceDoc)


def test_folder_walk_is_sorted_recursive_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.md").write_text("乙", encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_text("丙", encoding="utf-8")
    (tmp_path / ".hidden" / "d.txt").write_text("丁", encoding="utf-8")
    (tmp_path / ".e.txt").write_text("戊", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    docs = _docs([tmp_path])
    assert [Path(d.path).name for d in docs] == ["a.txt", "b.md", "c.txt"]
    assert [d.format for d in docs if isinstance(d, SourceDoc)] == ["txt", "md", "txt"]


def test_explicit_unsupported_file_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"whatever")
    (failure,) = _docs([path])
    assert isinstance(failure, ReadFailure)
    assert "slides.pptx" in failure.reason and ".docx" in failure.reason and ".txt" in failure.reason


def test_missing_file_is_a_failure(tmp_path: Path) -> None:
    (failure,) = _docs([tmp_path / "gone.txt"])
    assert isinstance(failure, ReadFailure) and "gone.txt" in failure.path


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"doc_id": 7, "title": "讲话", "text": "正文一", "date": "2021-02-23", "speaker": "张三"}),
        "{not json",
        json.dumps({"doc_id": "b", "text": ""}),
        json.dumps({"title": "无编号", "text": "正文"}),
        json.dumps({"doc_id": "c", "text": ["列表"]}),
        "",
        json.dumps({"doc_id": "d", "text": "正文二", "place": "温州", "source": None}),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = _docs([path])
    assert [o.path for o in out] == [f"{path}:{n}" for n in (1, 2, 3, 4, 5, 7)]
    first, bad_json, empty_text, no_id, wrong_type, last = out
    assert isinstance(first, SourceDoc) and first.doc_id == "7" and first.raw == "正文一"
    assert first.given == {"title": "讲话", "date": "2021-02-23", "speaker": "张三"}
    assert isinstance(bad_json, ReadFailure) and "JSON" in bad_json.reason
    assert isinstance(empty_text, ReadFailure) and '"text"' in empty_text.reason
    assert isinstance(no_id, ReadFailure) and '"doc_id"' in no_id.reason
    assert isinstance(wrong_type, ReadFailure) and '"text"' in wrong_type.reason
    assert isinstance(last, SourceDoc) and last.given == {"place": "温州"} and last.format == "jsonl"


def test_html_to_lines_drops_chrome(tmp_path: Path) -> None:
    page = (
        "<html><head><title>在全区经济工作会议上的讲话</title><style>p{color:red}</style>"
        "<script>var x = 1;</script></head><body><nav>首页 新闻</nav><header>网站头</header>"
        "<h1>在全区经济工作会议上的讲话</h1><div><p>同志们:</p><p>今年是<b>关键</b>一年。<br>第二行</p></div>"
        "<ul><li>一是抓项目</li><li>二是抓招商</li></ul><footer>版权所有</footer><form>搜索</form></body></html>"
    )
    lines = html_to_text(page).splitlines()
    assert lines[0] == "在全区经济工作会议上的讲话"
    assert "同志们:" in lines and "今年是关键一年。" in lines and "第二行" in lines
    assert "一是抓项目" in lines and "二是抓招商" in lines
    joined = "\n".join(lines)
    for noise in ("var x", "color", "首页", "网站头", "版权所有", "搜索"):
        assert noise not in joined


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    body = f'<html><head><meta charset="gb2312"><title>讲话</title></head><body><p>{SIMPLIFIED}</p></body></html>'
    path = tmp_path / "page.htm"
    path.write_bytes(body.encode("gbk"))
    (doc,) = _docs([path])
    assert isinstance(doc, SourceDoc) and doc.format == "html"
    assert doc.encoding == "gb18030"
    assert doc.raw.splitlines() == ["讲话", SIMPLIFIED]


def test_wrong_meta_charset_falls_back_to_detection() -> None:
    data = f'<meta charset="utf-8"><p>{TRADITIONAL}</p>'.encode("big5")
    text, encoding = decode_bytes(data, "x.html", "utf-8")
    assert TRADITIONAL in text and encoding == "big5"


def test_docx_paragraphs_become_lines(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for para in ("在全区经济工作会议上的讲话", "", "同志们:", "今年是关键一年。"):
        document.add_paragraph(para)
    path = tmp_path / "speech.docx"
    document.save(str(path))
    (doc,) = _docs([path])
    assert isinstance(doc, SourceDoc) and doc.format == "docx"
    assert doc.raw.splitlines() == ["在全区经济工作会议上的讲话", "同志们:", "今年是关键一年。"]


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, written by hand (no PDF writer needed; Latin text only)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_pages_become_lines(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "speech.pdf"
    path.write_bytes(_minimal_pdf(["Speech at the economic work conference", "Comrades, this year matters."]))
    (doc,) = _docs([path])
    assert isinstance(doc, SourceDoc) and doc.format == "pdf"
    assert "Speech at the economic work conference" in doc.raw.splitlines()
    assert "Comrades, this year matters." in doc.raw


def test_broken_pdf_is_a_failure(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    (failure,) = _docs([path])
    assert isinstance(failure, ReadFailure) and "broken.pdf" in failure.path


@pytest.mark.parametrize(("module", "suffix", "extra"), [("docx", ".docx", "docx"), ("pypdf", ".pdf", "pdf")])
def test_missing_extra_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, suffix: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    path = tmp_path / f"file{suffix}"
    path.write_bytes(b"irrelevant")
    (failure,) = _docs([path])
    assert isinstance(failure, ReadFailure)
    assert f"pip install 'speechbot[{extra}]'" in failure.reason


def test_reads_the_real_corpus(corpus_dir: Path) -> None:
    docs = _docs([corpus_dir])
    assert len(docs) == 5
    assert all(isinstance(d, SourceDoc) and d.encoding == "utf-8" and d.format == "txt" for d in docs)


def test_every_reader_error_is_that_files_one_line_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import readers

    (tmp_path / "a.txt").write_text("第一篇。", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>第二篇。</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("第三篇。", encoding="utf-8")

    def explode(path: Path):  # a parser's own bug, multi-line message included
        raise KeyError("word/document.xml\nsecond line")

    monkeypatch.setitem(readers._READERS, "html", explode)
    items = list(iter_sources([tmp_path]))
    assert [type(i).__name__ for i in items] == ["SourceDoc", "ReadFailure", "SourceDoc"]
    assert "KeyError" in items[1].reason and "\n" not in items[1].reason
    monkeypatch.setitem(readers._READERS, "html", lambda path: (_ for _ in ()).throw(RecursionError()))
    assert "nested too deeply" in next(iter(iter_sources([tmp_path / "b.html"]))).reason
    monkeypatch.setitem(readers._READERS, "html", lambda path: (_ for _ in ()).throw(MemoryError()))
    assert "more memory" in next(iter(iter_sources([tmp_path / "b.html"]))).reason


def test_docx_zip_members_are_checked_before_opening(tmp_path: Path) -> None:
    import zipfile

    from ingest.readers import DOCX_MAX_RATIO, MB, _check_zip

    dense = tmp_path / "dense.docx"
    with zipfile.ZipFile(dense, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (2 * MB))  # compresses about 1000 to 1
    with pytest.raises(Exception, match="times its packed size"):
        _check_zip(dense)
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", os.urandom(2 * MB))
    _check_zip(plain)  # large but not compressible: fine
    assert DOCX_MAX_RATIO == 100


def test_html_depth_is_measured_without_parsing(tmp_path: Path) -> None:
    from ingest.readers import _nesting_depth

    assert _nesting_depth("<div><p>a<p>b<br><div>c</div></div>", 100) == 0
    assert _nesting_depth("<div>" * 5000, 2000) == 2001  # stops once past the limit
    sloppy = "<html><body>" + "<p>段落<li>项<td>格" * 10_000 + "</body></html>"
    assert _nesting_depth(sloppy, 2000) == 0  # auto-closing elements never deepen a page
    (tmp_path / "deep.html").write_text("<div>" * 3000 + "深", encoding="utf-8")
    (failure,) = iter_sources([tmp_path / "deep.html"])
    assert "nested more than 2000" in failure.reason


def test_text_and_doc_id_bounds(tmp_path: Path) -> None:
    from ingest.readers import MAX_TEXT_CHARS

    (tmp_path / "big.md").write_text("字" * (MAX_TEXT_CHARS + 1), encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" \n\n", encoding="utf-8")
    lines = [{"doc_id": "x" * 300, "text": "正文。"}, {"doc_id": "a\tb", "text": "正文。"},
             {"doc_id": "../../etc/passwd", "text": "正文。"}]
    (tmp_path / "ids.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    big, ids1, ids2, ids3, blank = iter_sources([tmp_path / "big.md", tmp_path / "ids.jsonl", tmp_path / "blank.txt"])
    assert "over the 1,000,000 limit" in big.reason and "has no text" in blank.reason
    assert "at most 256" in ids1.reason and "printable" in ids2.reason
    assert ids3.doc_id == "../../etc/passwd"  # only an id: never used as a path


def test_jsonl_is_streamed_and_an_encoding_change_past_the_probe_is_still_read(tmp_path: Path, monkeypatch) -> None:
    from ingest import readers

    monkeypatch.setattr(readers, "JSONL_PROBE", 256)  # the first 256 bytes are ASCII only: they look like UTF-8
    rows = [json.dumps({"doc_id": f"a{i}", "text": "x" * 40}) for i in range(20)]
    rows.append(json.dumps({"doc_id": "gbk", "text": "青禾县的讲话稿"}, ensure_ascii=False))
    path = tmp_path / "big.jsonl"
    path.write_bytes("\n".join(rows).encode("gb18030"))
    docs = list(iter_sources([path]))
    assert [d.doc_id for d in docs] == [f"a{i}" for i in range(20)] + ["gbk"]
    assert docs[-1].raw == "青禾县的讲话稿" and docs[-1].path == f"{path}:21"
