"""News bylines that open an article: 「新华社北京3月5日电（记者 …）」「本报讯（记者 … 通讯员 …）」.

A byline names the agency or paper that filed the story and the reporters; it is not article text. Cleaning cuts
it from the start of the article's first lines, and metadata takes the agency as the document's `source`. Only
a line's start is looked at, and only a name that ends like an agency (社, 网, 报, 台, 之家, 客户端 …) or the
fixed 本报/本网/本台 forms count, and never 「据…消息」 (an attribution inside the article), so an article sentence
that merely mentions a date is never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Simplified and traditional forms side by side.
_AGENCY = (
    r"(?!据|據)(?:[\u4e00-\u9fffA-Za-z0-9·][\u4e00-\u9fffA-Za-z0-9· -]{0,14}?)?"  # 「IT 之家」「四川新闻网-首屏新闻」
    r"(?:通讯社|通訊社|社|网|網|报|報|台|之家|客户端|客戶端|新闻|新聞|财经|財經|科技|频道|頻道|在线|在線|日报|日報)"
)
_OWN = r"本报|本報|本网|本網|本台|本刊"
_DAY = r"\d{1,2}\s*月\s*\d{1,2}\s*日"
_PLACE = r"[\u4e00-\u9fff]{0,8}?"
_CREDIT = r"\s*[(（](?P<credit>[^()（）\n]{1,60})[)）]"
_REPORTERS = re.compile(r"记者|記者|通讯员|通訊員|实习生|實習生|摄|攝|报道|報道")

# A scraped page may put its publish stamp and a 正文 label first: 「2023/07/17 18:40:41，正文： 新华社…」.
_BODY_LABEL = re.compile(r"^[\d/:\s，,-]{0,24}正文\s*[:：]\s*")
_NAMES = rf"{_AGENCY}(?:、{_AGENCY})?"  # 新海南客户端、南海网…

_FORMS = [
    # 新华社北京3月5日电（记者 …）, 人民政協網溫州4月25日電(記者 … 通訊員 …), 中新网8月18日电 据…
    re.compile(rf"^(?P<source>{_NAMES}|{_OWN}){_PLACE}{_DAY}\s*(?:电|電|讯|訊)(?:{_CREDIT})?[\s，,：:]*"),
    # 本报讯（记者 …）, 中国消费者报福州讯（记者 …）: a credit naming reporters is required after a bare 讯
    re.compile(rf"^(?P<source>{_NAMES}|{_OWN}){_PLACE}(?:讯|訊){_CREDIT}[\s，,：:]*"),
    # 本报讯，… : the paper's own form needs no credit
    re.compile(rf"^(?P<source>{_OWN})(?:讯|訊)(?:{_CREDIT})?[\s，,：:]+"),
    # IT之家 8 月 16 日消息，…  南海网8月8日消息（记者 …）
    re.compile(rf"^(?P<source>{_NAMES}){_PLACE}\s*{_DAY}\s*消息(?:{_CREDIT}[\s，,：:]*|[\s，,：:]+)"),
    # （人民日报健康客户端记者 …）: the credit alone, in brackets
    re.compile(rf"^[(（](?P<source>{_AGENCY})?\s*(?P<credit>(?:记者|記者|通讯员|通訊員)[^()（）\n]{{1,40}})[)）]\s*"),
    # 【环球网报道 记者 …】
    re.compile(r"^[【\[](?P<source>[^】\]\s]{2,16}?)(?:报道|報道)?\s+(?P<credit>[^】\]]{0,40})[】\]]\s*"),
]


@dataclass(frozen=True)
class Byline:
    """A byline at [start, end) of the line it opens; `source` is the agency, or "" for 本报/本网."""

    start: int
    end: int
    source: str
    credit: str


def find_byline(line: str) -> Byline | None:
    """The byline opening `line`, if any (the text after it is the article)."""
    label = _BODY_LABEL.match(line)
    skip = label.end() if label else 0
    for number, form in enumerate(_FORMS):
        found = form.match(line[skip:])
        if not found:
            continue
        credit = found.groupdict().get("credit") or ""
        if number in (1, 5) and not _REPORTERS.search(credit):
            continue  # 「某某网讯（…）」 and 【…】 are bylines only when they credit reporters
        source = found.group("source") or ""
        return Byline(0, skip + found.end(), "" if re.fullmatch(_OWN, source) else source.strip(), credit.strip())
    return None
