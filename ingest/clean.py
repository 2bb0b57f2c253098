"""Remove scraped-page noise from a document while keeping every kept character traceable to the raw text.

The text keeps its original script. Cleaning works on lines: inline rules cut spans out of a line (pinyin
glosses, URL watermarks), line rules drop whole lines (navigation, bylines, footers, spam). Every cut is
logged in `Cleaned.removed`, and `Cleaned.offsets[i]` is the index in `raw` of `text[i]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.bylines import find_byline
from ingest.models import Cleaned

_SPACE = " \t\r\u3000\xa0\u2002\u2003\ufeff"
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A gloss follows a CJK character (or a letter of a mojibake run) and carries a tone mark or ü, which ordinary
# brackets never do.
_GLOSS = re.compile(rf"(?<=[{_CJK}A-Za-z])[(（]\s*[a-zü{_TONES}]*[{_TONES}ü][a-zü{_TONES}]*\s*[)）]")
# A portal's link back, glued to an article's last sentence: 「…辛勤付出。返回搜狐，查看更多」.
_SITE_LINK = re.compile(r"返回(?:搜狐|首页|首頁|网易|網易|新浪)[，,]?\s*查看更多(?:\s*责任编辑[:：]\s*\S{0,8})?")
# A repost's first line names the original headline: 「原标题：…」 (metadata takes it as the title).
ORIGINAL_TITLE = re.compile(r"^\s*原(?:标题|標題)\s*[:：]\s*(?P<title>[^\n。]{2,80}?)\s*(?:$|\n|[ \t\u3000\xa0]{4,})")
# Most reposts glue the original headline to the first sentence (「原标题：…市长调研本报讯（记者…）…」): the body
# starts at its first lead-in, the way news reports open — 本报讯, 【…讯】, (记者, 记者 name, 据…报道, a dateline
# (8月3日电, 8月3日，), 日前， / 近日，. The headline takes 4 to 80 characters and holds no full stop.
_LEAD_IN = re.compile("|".join((
    r"本[报報][\u4e00-\u9fff]{0,6}[讯訊]",
    r"【[^】\n]{1,20}】",
    r"[（(][记記]者",
    r"[记記]者\s*[\u4e00-\u9fff]{2,4}[\s\u3000]",
    r"[据據][^，。\n]{1,20}?(?:[报報]道|消息|通[报報]|[获獲]悉|[发發]布|介[绍紹]|[统統][计計])",
    r"\d{1,2}月\d{1,2}日(?:[电電]|[讯訊]|消息|[报報]道|[，,]|[上下]午|晚|早)",
    r"(?:日前|近日|近期|昨天|昨日|今天|今日)[，,]",
)))
_GLUED_TITLE = (4, 80)  # characters the glued headline may take
_ORIGINAL_LABEL = re.compile(r"\s*原(?:标题|標題)\s*[:：]")
_WATERMARK = re.compile(r"[(（]\s*(?:https?://)?www\.[^\s()（）]+\s*[)）]|(?:https?://|www\.)[A-Za-z0-9./?=&%_#:-]+")
_SENTENCE_END = "。!?！？…”」;；"

_CRUMB_START = re.compile(r"^(首[页頁]|当前位置|當前位置|您的位置|你的位置|位置)\s*[>›»::]")
_CRUMB_SEP = re.compile(r"\s*[>›»]\s*")
_BYLINE_LABEL = (
    r"(发布时间|發布時間|發佈時間|时间|時間|日期|来源|來源|作者|编辑|編輯|责任编辑|責任編輯|责编|責編|"
    r"点击|點擊|阅读|閱讀|浏览|瀏覽|访问量|訪問量|发布者|發布者|发布日期|發布日期|稿源|记者|記者)\s*[:：]"
)
_BYLINE_START = re.compile(r"^" + _BYLINE_LABEL)
_BYLINE_ANY = re.compile(_BYLINE_LABEL)
# A publish stamp has a clock time or a "|" after the date; a lone date line may be the speech date.
_DATETIME_START = re.compile(r"^\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?\s*(\d{1,2}:\d{2}(:\d{2})?\s*([|丨]|$)|[|丨])")
_WIDGET_WORDS = re.findall(
    r"\S+",
    "分享到 分享至 分享 收藏 打印 关闭 關閉 关闭窗口 關閉窗口 打印本页 打印本頁 返回顶部 返回頂部 字号 字號 "
    "大 中 小 我要反馈 我要反饋 我要纠错 我要糾錯 更多 相关阅读 相關閱讀 热点文章阅读 熱點文章閱讀 推荐阅读 推薦閱讀 "
    "延伸阅读 延伸閱讀 相关文章 相關文章 相关新闻 相關新聞 扫一扫 掃一掃 微信 微博 QQ空间 QQ空間 返回 顶 踩 评论 評論",
)
_WIDGET = re.compile(
    r"^[【\[]?(?:(?:" + "|".join(sorted(_WIDGET_WORDS, key=len, reverse=True)) + r")[\s:：|/、,，【】\[\]]*)+$"
)
_PREV_NEXT = re.compile(r"^(上一篇|下一篇|上一页|下一页|上一頁|下一頁)\s*[:：]")
_KEYWORDS = re.compile(
    r"^(关键词|關鍵詞|关键字|關鍵字|相关热词搜索|相關熱詞搜索|热词|熱詞|标签|標籤|tags?)\s*[:：]", re.I
)
_DISCLAIMER_START = re.compile(
    r"^(免责声明|免責聲明|版权声明|版權聲明|声明|聲明|版权所有|版權所有|copyright|©|\(c\))", re.I
)
_DISCLAIMER_ANY = re.compile(r"(侵权|侵權|侵犯.{0,12}版权|版权归|版權歸|联系删除|聯繫刪除|转载请注明|轉載請註明)")
_PHONE = re.compile(r"(电话|電話|热线|熱線|联系|聯繫|合作|客服|传真|傳真)\D{0,6}\d{3,4}-?\d{7,8}")
_ABSTRACT = re.compile(r"^[【\[]?(摘要|内容摘要|內容摘要|导读|導讀)[】\]]?\s*[:：]")
_EDITOR_NOTE = re.compile(r"^([【\[]\s*编者按\s*[】\]]|[【\[]\s*編者按\s*[】\]]|编者按\s*[:：]|編者按\s*[:：])")
_SITE_SUFFIX = re.compile(r"\s*[_|丨\-—–]+\s*\S{1,16}")
_LIST_SEP = re.compile(r"\s*[|丨,,]\s*")
_SPAM_WORDS = re.compile(
    "精品|视频|視頻|在线|在線|免费|免費|久久|国产|國產|日韩|日韓|欧美|歐美|少妇|少婦|熟女|播放|亚洲|亞洲|成人|"
    "福利|无码|無碼|高清|观看|觀看|人妻|自拍|偷拍|av|AV|午夜|美女|色情|一区|二区|三区|天堂|伦理|倫理"
)


@dataclass
class _Line:
    start: int  # raw index of the first character after indentation
    end: int  # raw index after the last non-space character
    plain: str = ""  # the line with inline noise cut out: what line rules look at
    cuts: list[tuple[str, int, int]] = field(default_factory=list)
    drop: str | None = None
    note: bool = False


def clean(raw: str) -> Cleaned:
    """Remove page noise from `raw`, keeping the original script and a raw offset for every kept character.

    Args:
        raw: the decoded document text.

    Returns:
        The display text, its offsets into `raw`, the editor's-note spans and the log of removed spans.
    """
    lines = _split_lines(raw)
    _cut_byline(raw, lines)
    for rule in _LINE_RULES:
        rule([ln for ln in lines if ln.drop is None])
    return _assemble(raw, lines)


# A long run of spaces inside a line is where a scraped page had a block break (「原标题：…      新华社…电」).
_BLOCK_BREAK = re.compile(rf"\n|[{_SPACE}]{{4,}}")


def glued_title_end(raw: str) -> int | None:
    """Where the body starts when a repost's 「原标题：…」 headline is glued to its first sentence; None when the
    text opens otherwise, the headline stands on its own line, or no lead-in is found."""
    label = _ORIGINAL_LABEL.match(raw)
    if not label:
        return None
    low, high = label.end() + _GLUED_TITLE[0], label.end() + _GLUED_TITLE[1]
    lead = _LEAD_IN.search(raw, low, high)
    if not lead or "。" in raw[label.end():lead.start()] or _BLOCK_BREAK.search(raw, label.end(), lead.start()):
        return None  # no lead-in, or the headline already stands apart
    return lead.start()


def original_title(raw: str) -> str:
    """The original headline a repost names first (「原标题：…」), on its own line or glued to the body."""
    end = glued_title_end(raw)
    if end is not None:
        return raw[_ORIGINAL_LABEL.match(raw).end():end].strip(_SPACE)  # type: ignore[union-attr]
    m = ORIGINAL_TITLE.match(raw)
    return m.group("title").strip() if m else ""


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    breaks = [(m.start(), m.end()) for m in _BLOCK_BREAK.finditer(raw)]
    glued = glued_title_end(raw)
    if glued is not None:  # the glued headline becomes a line of its own (and is dropped as one)
        breaks = sorted([*breaks, (glued, glued)])
    for brk in [*breaks, None]:
        end = brk[0] if brk else len(raw)
        chunk = raw[pos:end]
        lead = len(chunk) - len(chunk.lstrip(_SPACE))
        trimmed = chunk.strip(_SPACE)
        if trimmed:
            line = _Line(start=pos + lead, end=pos + lead + len(trimmed))
            _cut_inline(raw, line)
            if line.plain.strip(_SPACE):
                lines.append(line)
        pos = brk[1] if brk else len(raw)
    return lines


def _cut_inline(raw: str, line: _Line) -> None:
    text = raw[line.start : line.end]
    spans = [("pinyin_gloss", m.start(), m.end()) for m in _GLOSS.finditer(text)]
    spans += [("watermark", m.start(), m.end()) for m in _WATERMARK.finditer(text)]
    spans += [("site_link", m.start(), m.end()) for m in _SITE_LINK.finditer(text)]
    spans.sort(key=lambda s: s[1])
    kept, last = [], 0
    for rule, start, end in spans:
        if start < last:
            continue  # overlapping matches: the earlier one already covers it
        kept.append(text[last:start])
        line.cuts.append((rule, line.start + start, line.start + end))
        last = end
    kept.append(text[last:])
    line.plain = "".join(kept)


BYLINE_LINES = 8  # a news byline opens one of the article's first lines (after the title and a date line)


def _cut_byline(raw: str, lines: list[_Line]) -> None:
    """Cut the first news byline (「新华社北京3月5日电（记者…）」) from the start of one of the first lines."""
    for line in lines[:BYLINE_LINES]:
        found = find_byline(raw[line.start : line.end])
        if found is None or any(start < line.start + found.end for _rule, start, _end in line.cuts):
            continue
        end = line.start + found.end
        if end >= line.end or not line.plain[found.end:].strip(_SPACE):
            line.drop = "news_byline"
        else:
            line.cuts.insert(0, ("news_byline", line.start, end))
            line.plain = line.plain[found.end :]  # no inline cut lies inside the byline
        return


def _assemble(raw: str, lines: list[_Line]) -> Cleaned:
    chars: list[str] = []
    offsets: list[int] = []
    notes: list[tuple[int, int]] = []
    removed: list[tuple[str, int, int]] = []
    previous_end = 0
    for line in lines:
        if line.drop is not None:
            removed.append((line.drop, line.start, line.end))
            continue
        if chars:
            chars.append("\n")
            # the newline (or the block break of spaces) that ended the previous kept line
            newline = raw.rfind("\n", 0, line.start)
            offsets.append(newline if newline >= previous_end else line.start - 1)
        previous_end = line.end
        begin = len(chars)
        cuts = iter(line.cuts)
        cut = next(cuts, None)
        i = line.start
        while i < line.end:
            if cut is not None and i == cut[1]:
                removed.append(cut)
                i = cut[2]
                cut = next(cuts, None)
                continue
            chars.append(raw[i])
            offsets.append(i)
            i += 1
        if line.note:
            notes.append((begin, len(chars)))
    removed.sort(key=lambda r: r[1])
    return Cleaned(text="".join(chars), offsets=offsets, notes=notes, removed=removed)


# --- line rules: each marks lines of the still-kept list ----------------------------------------------------------


def _is_sentence(text: str) -> bool:
    return len(text) >= 20 and text.rstrip(_SPACE)[-1] in _SENTENCE_END


def _is_crumb(text: str) -> bool:
    if _CRUMB_START.match(text):
        return True
    parts = _CRUMB_SEP.split(text)
    return len(parts) >= 3 and all(0 < len(p) <= 10 for p in parts)


def _crumbs(lines: list[_Line]) -> None:
    for i, line in enumerate(lines[:12]):
        if _is_crumb(line.plain):
            line.drop = "crumb"
            # A lone short label just above the crumb is the site channel name, not content.
            if i > 0 and len(lines[i - 1].plain) <= 6 and not _is_sentence(lines[i - 1].plain):
                lines[i - 1].drop = "channel_label"


def _bylines(lines: list[_Line]) -> None:
    for line in lines:
        text = line.plain
        if len(text) > 100 or text[-1] in "。!?！？":
            continue
        if _DATETIME_START.match(text) and not _BYLINE_START.match(text):
            line.drop = "dateline"
        elif _BYLINE_START.match(text) or len(_BYLINE_ANY.findall(text)) >= 2:
            line.drop = "byline"


def _widgets_and_footers(lines: list[_Line]) -> None:
    for i, line in enumerate(lines):
        text = line.plain
        if i < 3 and ORIGINAL_TITLE.match(text):
            line.drop = "original_title"
        elif _KEYWORDS.match(text):
            line.drop = "keywords"
        elif len(text) <= 40 and (_WIDGET.match(text) or _PREV_NEXT.match(text)):
            line.drop = "widget"
        elif len(text) <= 200 and (
            _DISCLAIMER_START.match(text) or _DISCLAIMER_ANY.search(text) or _PHONE.search(text)
        ):
            line.drop = "disclaimer"


def _squash(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」《》]", "", text)


def _repeated_titles(lines: list[_Line]) -> None:
    head = lines[:10]
    seen: list[str] = []
    for line in head:
        key = _squash(line.plain)
        if _is_sentence(line.plain) or not key:
            continue
        # A title line may appear again, alone or behind a channel label ("理论教育 <title>").
        later = [_squash(other.plain) for other in head if other is not line]
        labelled = any(len(t) >= 6 and key != t and key.endswith(t) and len(key) - len(t) <= 8 for t in later)
        # ...or with the site name after it, as a page's <title> has it ("<title>_澜江日报").
        labelled = labelled or any(len(t) >= 6 and key.startswith(t) and _SITE_SUFFIX.fullmatch(key[len(t):])
                                   for t in later)
        if labelled or key in seen:
            line.drop = "repeated_title"
        else:
            seen.append(key)


def _abstracts(lines: list[_Line]) -> None:
    body = "".join(_squash(ln.plain) for ln in lines if not _ABSTRACT.match(ln.plain))
    for line in lines[:15]:
        found = _ABSTRACT.match(line.plain)
        if not found:
            continue
        content = _squash(line.plain[found.end() :]).rstrip(".…")
        pieces = [content[i : i + 12] for i in range(0, max(len(content) - 11, 1), 12)]
        # An abstract made of sentences from the body only duplicates them.
        if pieces and sum(p in body for p in pieces) >= 0.6 * len(pieces):
            line.drop = "abstract"


def _editor_notes(lines: list[_Line]) -> None:
    for line in lines:
        line.note = bool(_EDITOR_NOTE.match(line.plain))


def _is_spam(text: str) -> bool:
    hits = _SPAM_WORDS.findall(text)
    return len(set(hits)) >= 4 and sum(map(len, hits)) >= 0.25 * len(text)


def _is_title_list(text: str) -> bool:
    items = [p for p in _LIST_SEP.split(text) if p]
    return len(items) >= 3 and all(len(p) <= 30 for p in items) and text[-1] not in "。!?！？"


def _tail(lines: list[_Line]) -> None:
    """Lines after the article's last sentence: counters and link lists are page furniture there."""
    last_body = max((i for i, ln in enumerate(lines) if _is_sentence(ln.plain) and not ln.note), default=-1)
    for i, line in enumerate(lines):
        text = line.plain
        if _is_spam(text) or (i > last_body and _is_title_list(text)):
            line.drop = "spam_links"
        elif i > last_body and re.fullmatch(r"\d{1,9}", text):
            line.drop = "counter"


_LINE_RULES: list[Callable[[list[_Line]], None]] = [
    _crumbs,
    _bylines,
    _widgets_and_footers,
    _repeated_titles,
    _abstracts,
    _editor_notes,
    _tail,
]
