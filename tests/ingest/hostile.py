"""Hostile input files, generated on the spot (nothing hostile is committed): each must fail alone."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

GOOD = """李春华在临河县2023年乡村振兴工作会议上的讲话
（2023年3月15日）

今年全县粮食播种面积要稳定在52万亩以上，粮食总产量达到2.1亿公斤。
要新建高标准农田3万亩，推广水肥一体化技术。
"""


def _docx_bytes_member(path: Path, name: str, chunk: bytes, total: int) -> None:
    """A .docx whose `name` member unpacks to `total` bytes of `chunk` repeated, written in pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with zf.open(name, "w", force_zip64=True) as member:
            written = 0
            while written < total:
                member.write(chunk)
                written += len(chunk)


def zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.docx"
    paragraph = "<w:p><w:r><w:t>爆炸</w:t></w:r></w:p>".encode() * 4096
    _docx_bytes_member(path, "word/document.xml", paragraph, 400 * 1024 * 1024)
    return path


def long_line(folder: Path) -> Path:
    """10 MiB of UTF-8 on one line, no sentence end."""
    path = folder / "one-line.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for _ in range(10):
            fh.write("经济发展" * 87_381 + "经")  # 1 MiB + 3 bytes a piece
    return path


def deep_html(folder: Path) -> Path:
    path = folder / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "深" + "</div>" * 100_000 + "</body></html>",
                    encoding="utf-8")
    return path


def empty_docx(folder: Path) -> Path:
    path = folder / "empty.docx"
    path.write_bytes(b"")
    return path


def deep_json(folder: Path) -> Path:
    path = folder / "deep.jsonl"
    path.write_text('{"doc_id": "deep", "title": "x", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
                    encoding="utf-8")
    return path


def binary_txt(folder: Path) -> Path:
    path = folder / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4096)
    return path


def bad_gb18030(folder: Path) -> Path:
    path = folder / "bad-gb18030.txt"
    good = "今天召开全市经济工作会议，主要任务是总结去年工作。".encode("gb18030")
    path.write_bytes(good * 50 + b"\xff\xfe\x80\x80" + good * 50 + b"\x81")
    return path


def malformed_pdf(folder: Path) -> Path:
    path = folder / "malformed.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\nthis is not a pdf body\n"
                     b"xref\n0 2\nzzzz\ntrailer << /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n")
    return path


def cyclic_pdf(folder: Path) -> Path:
    """A page tree whose /Pages node lists itself among its kids."""
    path = folder / "cyclic.pdf"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    body, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer << /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)
    return path


def long_name(folder: Path) -> Path:
    """A good speech under a 200-character name: not hostile by content, it must simply work."""
    path = folder / ("a" * 196 + ".txt")
    path.write_text(GOOD.replace("临河县", "长名县"), encoding="utf-8")
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "zip bomb": zip_bomb,
    "10 MB one-line file": long_line,
    "deep HTML": deep_html,
    "empty docx": empty_docx,
    "deep JSON": deep_json,
    "binary .txt": binary_txt,
    "bad GB18030": bad_gb18030,
    "malformed PDF": malformed_pdf,
    "cyclic PDF": cyclic_pdf,
}
