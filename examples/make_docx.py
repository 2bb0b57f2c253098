"""Write examples/speeches/qingwu-2025-rural-revitalization.docx, the sample library's Word file.

The .docx is committed so that `speechbot ingest examples/speeches` works on a fresh clone; this script is how it
was made (python-docx, the `docx` extra). Run it again after editing SPEECH: `python examples/make_docx.py`.
The speech is invented: 青梧县 and everyone in it are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent / "speeches" / "qingwu-2025-rural-revitalization.docx"

TITLE = "江映雪在青梧县2025年乡村振兴工作推进会上的讲话"
DATE = "（2025年2月20日）"
# (heading, paragraphs) in order; a heading of None means paragraphs before the first section.
SPEECH: list[tuple[str | None, list[str]]] = [
    (None, [
        "同志们：",
        "今天召开全县乡村振兴工作推进会，主要是贯彻落实全市农村工作会议精神，部署今年“三农”重点工作。",
    ]),
    ("一、稳住粮食生产基本盘", [
        "今年全县粮食播种面积稳定在28万亩以上，粮食总产量达到1.3亿公斤。",
        "要新建高标准农田3.5万亩，全部配套高效节水灌溉设施。",
    ]),
    ("二、持续促进农民增收", [
        "力争农村居民人均可支配收入增长7%。要做大“青梧茶油”和“梧溪白茶”两个区域公用品牌，"
        "新培育农业龙头企业5家、家庭农场100家。",
    ]),
    ("三、建设宜居和美乡村", [
        "今年完成农村公路提升改造60公里，新创建和美乡村示范村15个，农村生活垃圾分类覆盖率达到85%。",
        "同志们，乡村振兴任务繁重，大家要以时不我待的劲头抓好落实，确保各项目标如期完成。",
    ]),
]


def paragraphs() -> list[str]:
    """The document's paragraphs in order, as a reader of the .docx should see them."""
    lines = [TITLE, DATE]
    for heading, body in SPEECH:
        lines += ([heading] if heading else []) + body
    return lines


def build(target: Path = TARGET) -> Path:
    from docx import Document  # the `docx` extra: pip install 'speechbot[docx]'

    doc = Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(DATE)
    for heading, body in SPEECH:
        if heading:
            doc.add_heading(heading, level=2)
        for text in body:
            doc.add_paragraph(text)
    doc.save(target)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
