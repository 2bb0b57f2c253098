"""Read source files (text, HTML, Word, PDF, JSON Lines) into `SourceDoc`s.

Every failure becomes a `ReadFailure` so that one bad file never stops a run: hostile files (zip bombs, deep
nesting, endless text) are refused by fixed bounds before they cost much, and anything a parser still raises
becomes that file's one-line reason.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ingest.errors import (
    BadRecord,
    DecodeError,
    FileTooLarge,
    IngestError,
    MissingExtra,
    UnreadableFile,
    UnsafeFile,
    UnsupportedFormat,
)
from ingest.models import ReadFailure, SourceDoc

_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
}
_CJK_CANDIDATES = ("gb18030", "big5")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "iframe")
_BLOCK_TAGS = frozenset(
    ("p div h1 h2 h3 h4 h5 h6 li tr br title section article blockquote pre table ul ol dd dt").split()
)
_CELL_TAGS = frozenset({"td", "th"})
_JSONL_META = ("title", "date", "speaker", "place", "source", "author")
MB = 1024 * 1024
MAX_FILE_BYTES = 64 * MB  # any single file but .jsonl; uploads are smaller still (max_upload_mb)
MAX_TEXT_CHARS = 1_000_000  # text of one document after extraction (a long work report has ~50,000)
MAX_DOC_ID = 256
MAX_HTML_DEPTH = 2000  # element nesting; the HTML parser's time grows with depth times elements
MAX_PDF_PAGES = 2000
DOCX_MAX_MEMBER = 50 * MB  # one member of the .docx zip, unpacked
DOCX_MAX_TOTAL = 200 * MB  # all members, unpacked
DOCX_MAX_RATIO = 100  # unpacked / packed size of a member over 1 MB (Word's own files stay under ~20)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>")
# Void elements, and those the parser closes by itself when the next one starts: they never deepen a page.
_FLAT_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
                       "option".split())


def iter_sources(paths: Iterable[Path]) -> Iterator[SourceDoc | ReadFailure]:
    """Read every supported document under `paths`.

    Args:
        paths: files and folders; folders are walked recursively in sorted order, skipping hidden entries
            and files of unsupported types.

    Yields:
        A `SourceDoc` per document (one per line for .jsonl), or a `ReadFailure` for what could not be read.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in _walk(path):
                yield from _read_file(child)
        elif path.suffix.lower() not in _FORMATS:
            yield ReadFailure(str(path), str(UnsupportedFormat(str(path), sorted(_FORMATS))))
        else:
            yield from _read_file(path)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in _FORMATS:
                yield Path(root) / name


def _read_file(path: Path) -> Iterator[SourceDoc | ReadFailure]:
    fmt = _FORMATS[path.suffix.lower()]
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path)
            return
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileTooLarge(str(path), f"{path.stat().st_size // MB} MB, over the {MAX_FILE_BYTES // MB} MB limit")
        yield _capped(_READERS[fmt](path))
    except IngestError as exc:
        yield ReadFailure(str(path), str(exc))
    except OSError as exc:
        yield ReadFailure(str(path), f"cannot open {str(path)!r}: {exc.strerror or exc}")
    except MemoryError:
        yield ReadFailure(str(path), f"cannot read {str(path)!r}: it needs more memory than allowed")
    except RecursionError:
        yield ReadFailure(str(path), f"cannot read {str(path)!r}: its structure is nested too deeply")
    except Exception as exc:  # a parser's own error (python-docx, pypdf...): this file's failure, never the run's
        yield ReadFailure(str(path), f"cannot read {str(path)!r}: {_one_line(exc)}")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _capped(doc: SourceDoc) -> SourceDoc:
    if not doc.raw.strip():
        raise DecodeError(doc.path, "the file has no text")
    if len(doc.raw) > MAX_TEXT_CHARS:
        raise FileTooLarge(doc.path, f"{len(doc.raw):,} characters of text, over the {MAX_TEXT_CHARS:,} limit")
    return doc


# --- encodings -------------------------------------------------------------------------------------------------


@functools.cache
def _char_weights() -> dict[str, float]:
    """Log frequency of each character in jieba's dictionary: common Chinese characters score high."""
    import jieba

    counts: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            word, freq, *_ = line.split(" ")
            for char in word:
                counts[char] = counts.get(char, 0) + int(freq)
    return {char: math.log1p(n) for char, n in counts.items()}


@functools.cache
def _t2s() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def _plausibility(text: str) -> float:
    """Mean commonness of the non-ASCII characters; mojibake is made of rare characters."""
    weights = _char_weights()
    chars = [c for c in _t2s()(text) if not c.isascii() and not c.isspace()]
    if not chars:
        return 0.0
    return sum(weights.get(c, 0.0) for c in chars) / len(chars)


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Decode `data`, returning (text, encoding).

    UTF-8 (with or without BOM) is tried strictly first. Otherwise GB18030 and Big5 (plus charset-normalizer's
    guess) are tried and the decoding made of the most common Chinese characters wins: statistical detectors
    alone misjudge short files, whereas mojibake is reliably made of rare characters.

    Raises:
        DecodeError: no candidate decodes the bytes, or the data looks binary.
    """
    if b"\x00" in data:
        raise DecodeError(path, "looks like a binary file")
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong <meta charset> is common on scraped pages; fall back to detection
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = list(_CJK_CANDIDATES)
    guess = _normalizer_guess(data)
    if guess and guess not in candidates:
        candidates.append(guess)
    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:
        raise DecodeError(path)
    return best[1], best[2]


def _normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    return match.encoding if match else None


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii").lower()
    # Pages that say gb2312/gbk routinely contain characters only GB18030 has.
    return "gb18030" if name in {"gb2312", "gbk", "x-gbk"} else name


# --- formats ---------------------------------------------------------------------------------------------------


def _read_text(path: Path) -> SourceDoc:
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    return SourceDoc(path=str(path), raw=text, format=_FORMATS[path.suffix.lower()], encoding=encoding)


def _read_html(path: Path) -> SourceDoc:
    data = path.read_bytes()
    text, encoding = decode_bytes(data, str(path), _declared_charset(data))
    if _nesting_depth(text, MAX_HTML_DEPTH) > MAX_HTML_DEPTH:
        raise UnsafeFile(str(path), f"HTML nested more than {MAX_HTML_DEPTH} elements deep")
    return SourceDoc(path=str(path), raw=html_to_text(text), format="html", encoding=encoding)


def _nesting_depth(html: str, limit: int) -> int:
    """How deep elements nest, by a linear scan of the tags (stops once past `limit`)."""
    depth = 0
    for tag in _TAG.finditer(html):
        if tag.group(3) or tag.group(2).lower() in _FLAT_TAGS:
            continue
        if tag.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                break
    return depth


def html_to_text(html: str) -> str:
    """Turn an HTML page into plain lines: one per block element, page chrome (nav, scripts, ...) dropped."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.strip_tags(list(_DROP_TAGS))
    parts: list[str] = []
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        parts.append(title.text(strip=True) + "\n")
    if tree.body is not None:
        _collect(tree.body, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _children(node) -> list:  # type: ignore[no-untyped-def]
    out, child = [], node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _collect(root, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Text of the tree in document order, one line per block. A loop with its own stack, not recursion:
    hostile pages nest 100,000 elements deep."""
    stack: list = list(reversed(_children(root)))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item.tag == "-text":
            parts.append(item.text(deep=False))
            continue
        if item.tag in _BLOCK_TAGS:
            parts.append("\n")
            stack.append("\n")  # popped after the children pushed below
        elif item.tag in _CELL_TAGS:
            parts.append(" ")  # cells of one row stay on one line
        stack.extend(reversed(_children(item)))


def _check_zip(path: Path) -> None:
    """Refuse a .docx whose members unpack to too much, or too much for their packed size (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(str(path), "not a Word .docx file (no zip archive inside)") from exc
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > DOCX_MAX_MEMBER or (m.file_size > MB and ratio > DOCX_MAX_RATIO):
            raise UnsafeFile(str(path), f"zip member {m.filename!r} unpacks to {m.file_size // MB} MB "
                                        f"({ratio:.0f} times its packed size)")
        if total > DOCX_MAX_TOTAL:
            raise UnsafeFile(str(path), f"zip members unpack to over {DOCX_MAX_TOTAL // MB} MB")


def _read_docx(path: Path) -> SourceDoc:
    try:
        import docx
    except ImportError as exc:
        raise MissingExtra("docx", "python-docx") from exc
    _check_zip(path)
    document = docx.Document(str(path))
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    return SourceDoc(path=str(path), raw="\n".join(lines), format="docx", encoding="docx")


def _read_pdf(path: Path) -> SourceDoc:
    try:
        import pypdf
    except ImportError as exc:
        raise MissingExtra("pdf", "pypdf") from exc
    try:
        reader = pypdf.PdfReader(str(path))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FileTooLarge(str(path), f"{len(reader.pages)} pages, over the {MAX_PDF_PAGES} limit")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > MAX_TEXT_CHARS:
                raise FileTooLarge(str(path), f"over {MAX_TEXT_CHARS:,} characters of text")
    except pypdf.errors.PyPdfError as exc:
        raise UnreadableFile(str(path), f"invalid PDF ({' '.join(str(exc).split())})") from exc
    lines = [line.strip() for page in pages for line in page.splitlines() if line.strip()]
    return SourceDoc(path=str(path), raw="\n".join(lines), format="pdf", encoding="pdf")


JSONL_PROBE = 1 << 20  # bytes read to detect a .jsonl file's encoding; the rest is streamed line by line


def _jsonl_lines(path: Path) -> Iterator[tuple[str, str]]:
    """(encoding, line) of a .jsonl file, streamed: a file of any size costs one line of memory at a time.

    The encoding is detected on the first megabyte; a file that then fails to decode is read whole and detected
    again (its lines already given are not given twice).
    """
    with open(path, "rb") as fh:
        probe = fh.read(JSONL_PROBE)
        cut = probe.rfind(b"\n") + 1 if len(probe) == JSONL_PROBE else len(probe)
    _, encoding = decode_bytes(probe[:cut] or probe, str(path))
    given = 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            for line in fh:
                given += 1
                yield encoding, line
        return
    except UnicodeDecodeError:
        pass
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    for line in text.splitlines()[given:]:
        yield encoding, line


def _read_jsonl(path: Path) -> Iterator[SourceDoc | ReadFailure]:
    lines = _jsonl_lines(path)
    for lineno, (encoding, line) in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield _capped(_jsonl_record(line, where, encoding))
        except (BadRecord, FileTooLarge) as exc:
            yield ReadFailure(where, str(exc))


def _jsonl_record(line: str, where: str, encoding: str) -> SourceDoc:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError as exc:
        raise BadRecord("invalid JSON: nested too deeply") from exc
    if not isinstance(record, dict):
        raise BadRecord(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRecord('field "text" is missing, empty or not a string')
    doc_id = record.get("doc_id")
    if doc_id is None or isinstance(doc_id, (dict, list, bool)) or not str(doc_id).strip():
        raise BadRecord('field "doc_id" is missing, empty or not a string/number')
    if len(str(doc_id)) > MAX_DOC_ID or not str(doc_id).isprintable():
        raise BadRecord(f'field "doc_id" must be printable and at most {MAX_DOC_ID} characters')
    given: dict[str, str] = {}
    for key in _JSONL_META:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            raise BadRecord(f'field "{key}" must be a string, got {type(value).__name__}')
        if str(value).strip():
            given[key] = str(value).strip()
    return SourceDoc(path=where, raw=text, format="jsonl", encoding=encoding, doc_id=str(doc_id), given=given)


_READERS: dict[str, Callable[[Path], SourceDoc]] = {
    "txt": _read_text,
    "md": _read_text,
    "html": _read_html,
    "docx": _read_docx,
    "pdf": _read_pdf,
}
