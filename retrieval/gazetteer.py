"""Chinese place names (provinces, prefecture cities, counties and districts) found in text.

The list of administrative divisions comes from the `cpca` package's bundled `adcodes.csv` (MIT licence). Only
its data file is read, so cpca's heavy imports (pandas) are never triggered. Each division is indexed under its
full name and, where safe, its short form without the administrative suffix (温州市 -> 温州).
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.errors import RetrievalError

_LEVELS = ("province", "city", "county")
# Longest first, so 自治州 is stripped before 州-less suffixes are tried.
SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip
# Placeholder rows of the adcode table, not places.
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# jieba parts of speech that make a bare short form an ordinary word (前进, 平安, 东方, 城中...).
_COMMON_TAGS = frozenset("v vn vd a ad an b d n s f m t r c p u i l".split())
_MAX_CITY_FREQ = 5000  # a non-place-tagged city short form this frequent is a word first (和平)
# County short forms collide with words far more often (惠民, 新建, 江山), so only rare ones are indexed.
_MAX_COUNTY_PLACE_FREQ = 200
_MAX_COUNTY_OTHER_FREQ = 50


class GazetteerUnavailable(RetrievalError):
    """The place-name list could not be loaded."""


@dataclass(frozen=True)
class Place:
    """One indexed place term."""

    name: str  # the full official name, simplified
    key: str  # canonical form used for matching (suffix stripped)
    level: str  # "province", "city" or "county"
    short: bool = False  # indexed under its short form


def find_places(text: str) -> list[str]:
    """Place names in `text`, longest match first, in order of appearance.

    Args:
        text: simplified or traditional Chinese text.

    Returns:
        The matched names as they appear (simplified), e.g. ``["西峰区", "温州"]``; repeats included.
    """
    index, longest = _index()
    text = _t2s(text)
    bounds: set[int] = set()  # segmenting is the costly part: only the clauses where a name may start are cut
    clause_end = 0
    found: list[str] = []
    i = 0
    for start in _head_positions(text).tolist():
        if start < i:
            continue  # inside a name already found
        i = start
        if i >= clause_end:
            clause_end = _clause_bounds(text, i, bounds)
        for size in range(min(longest, len(text) - i), 1, -1):
            place = index.get(text[i : i + size])
            # A name must start at a word boundary (not 南山区 in 浙南山区); a short form must also end at one
            # (not 惠民 in 惠民生), while a full name may run into the next word (宣城市政府).
            if place and i in bounds and (not place.short or i + size in bounds):
                found.append(text[i : i + size])
                i += size
                break
        else:
            i += 1
    return found


def _head_positions(text: str) -> np.ndarray:
    """Where a name may start: positions whose character pair begins some name, ascending (numpy, no loop)."""
    if len(text) < 2:
        return np.zeros(0, dtype=np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    pairs = (cp[:-1] << np.uint64(21)) | cp[1:]
    heads = _prefix_codes()
    at = np.minimum(np.searchsorted(heads, pairs), len(heads) - 1)
    return np.flatnonzero(heads[at] == pairs)


@functools.cache
def _prefix_codes() -> np.ndarray:
    return np.unique(np.array([ord(p[0]) << 21 | ord(p[1]) for p in _prefixes() if len(p) == 2], dtype=np.uint64))


def place_key(name: str) -> str:
    """Canonical form of a place name: 西峰区 and 西峰 -> 西峰; 温州市 -> 温州; unknown names are stripped too."""
    name = _t2s(name.strip())
    known = _index()[0].get(name)
    return known.key if known else _short_form(name, _nations())


def place_level(name: str) -> str | None:
    """ "province", "city" or "county" for a known place name (full or short form), else None."""
    known = _index()[0].get(_t2s(name.strip()))
    return known.level if known else None


def place_name(name: str) -> str | None:
    """The full official name of a known place (西峰 -> 西峰区), else None."""
    known = _index()[0].get(_t2s(name.strip()))
    return known.name if known else None


def place_terms() -> list[str]:
    """Every indexed name (full and short forms), e.g. for a jieba user dictionary."""
    return sorted(_index()[0])


INDEX_VERSION = "3"  # bump when the way names are indexed changes


@functools.cache
def _index() -> tuple[dict[str, Place], int]:
    from retrieval.diskcache import cached

    inputs = [_data_dir() / "adcodes.csv", _data_dir() / "56_nations.csv", _jieba_dict()]
    return cached("gazetteer", INDEX_VERSION, inputs, _build_index)


def _build_index() -> tuple[dict[str, Place], int]:
    nations = _nations()
    index: dict[str, Place] = {}
    for name, level in _divisions():
        key = _short_form(name, nations)
        if len(key) < 2 and name.endswith("区"):
            continue  # 城区, 郊区, 矿区: generic words, not places
        _add(index, name, Place(name=name, key=key, level=level))
        if len(key) >= 2 and key != name and not _is_common_word(key, level):
            _add(index, key, Place(name=name, key=key, level=level, short=True))
        autonomous = next((s for s in _AUTONOMOUS if name.endswith(s)), "")
        if autonomous and len(key) >= 2:  # 峨边彝族自治县 is written 峨边县, 大理白族自治州 大理州
            _add(index, key + autonomous[-1], Place(name=name, key=key, level=level))
    return index, max(map(len, index))


_AUTONOMOUS = ("自治州", "自治县", "自治旗")


def _add(index: dict[str, Place], term: str, place: Place) -> None:
    # The same short form names several divisions (朝阳市, 朝阳区): keep the highest level.
    current = index.get(term)
    if current is None or _LEVELS.index(place.level) < _LEVELS.index(current.level):
        index[term] = place


def _short_form(name: str, nations: tuple[str, ...]) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    # 延边朝鲜族自治州 -> 延边朝鲜族 -> 延边
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if name.endswith(nation) and len(name) - len(nation) >= 2:
                name, changed = name[: -len(nation)], True
    return name


def _is_common_word(term: str, level: str) -> bool:
    tag, freq = _jieba_words().get(term, ("", 0))
    if level == "province":
        return False
    if level == "city":  # jieba's dictionary tags many city names as words (合肥 n, 保定 v, 大连 d): only frequency
        return tag != "ns" and freq > _MAX_CITY_FREQ  # tells a word first (a prefecture's short form rarely is one)
    if tag in _COMMON_TAGS:
        return True
    return freq > (_MAX_COUNTY_PLACE_FREQ if tag == "ns" else _MAX_COUNTY_OTHER_FREQ)


@functools.cache
def _prefixes() -> frozenset[str]:
    """The first two characters of every indexed name: most positions of a text start none."""
    return frozenset(name[:2] for name in _index()[0])


# Characters jieba never puts inside a word block: its segmentation of a text is that of the clauses between them,
# so a clause can be cut on its own (with its offset) and the bounds are the same as cutting the whole text.
_CLAUSE = re.compile(r"[^\s，。！？；：、“”‘’（）《》【】「」,;:!?()\"'<>\[\]]+")


def _clause_bounds(text: str, at: int, bounds: set[int]) -> int:
    """Add the word boundaries (offsets in text) of the clause holding position `at`; return where it ends."""
    start = at
    while start > 0 and _CLAUSE.match(text, start - 1, start):
        start -= 1
    found = _CLAUSE.match(text, start)
    if found is None:
        bounds.update((at, at + 1))
        return at + 1
    pos = found.start()
    bounds.add(pos)
    # jieba's dictionary without ours: user words (place terms included) must not move boundaries.
    from retrieval.tokenize import plain_segmenter

    for word in plain_segmenter().cut(found.group(), False):
        pos += len(word)
        bounds.add(pos)
    return found.end()


def _data_dir() -> Path:
    spec = importlib.util.find_spec("cpca")  # locates the package without importing it (and pandas)
    if spec is None or spec.origin is None:
        raise GazetteerUnavailable("place names need the 'cpca' package: pip install 'cpca>=0.5.5'")
    return Path(spec.origin).parent / "resources"


@functools.cache
def _rows() -> tuple[tuple[str, str], ...]:
    path = _data_dir() / "adcodes.csv"
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = [(row["name"].strip(), row["adcode"].strip()) for row in csv.DictReader(handle)]
    except (OSError, KeyError) as exc:
        raise GazetteerUnavailable(f"cannot read place names from {path}: {exc}") from exc
    return tuple((name, code.ljust(12, "0")) for name, code in rows if name and name not in _NOT_PLACES)


def _divisions() -> list[tuple[str, str]]:
    return [(name, _level(code)) for name, code in _rows()]


def ancestors(name: str) -> frozenset[str]:
    """The keys of the divisions a place lies in (铁西区 -> 沈阳, 辽宁, and the other 铁西区's cities too: a
    name several divisions share counts for each), empty for an unknown name."""
    known = _index()[0].get(_t2s(name.strip()))
    return _parents().get(known.name, frozenset()) if known else frozenset()


@functools.cache
def _parents() -> dict[str, frozenset[str]]:
    nations = _nations()
    by_code = {code: name for name, code in _rows()}
    out: dict[str, set[str]] = {}
    for name, code in _rows():
        ups = {code[:2] + "0" * 10, code[:4] + "0" * 8} - {code}
        out.setdefault(name, set()).update(_short_form(by_code[u], nations) for u in ups if u in by_code)
    return {name: frozenset(keys) for name, keys in out.items()}


def _level(adcode: str) -> str:
    code = adcode.ljust(12, "0")
    if code[2:] == "0" * 10:
        return "province"
    return "city" if code[4:] == "0" * 8 else "county"


@functools.cache
def _nations() -> tuple[str, ...]:
    text = (_data_dir() / "56_nations.csv").read_text(encoding="utf-8")
    names = {n for n in re.split(r"[\s,]+", text) if n and re.fullmatch(r"[\u4e00-\u9fff]+", n)}
    forms = {n for name in names for n in (name, name.removesuffix("族"), name + "族") if len(n) >= 2}
    return tuple(sorted(forms, key=len, reverse=True))


def _jieba_dict() -> Path:
    spec = importlib.util.find_spec("jieba")  # its dictionary file, without importing jieba
    if spec is None or spec.origin is None:
        raise GazetteerUnavailable("place names need jieba's dictionary: pip install jieba")
    return Path(spec.origin).parent / "dict.txt"


@functools.cache
def _jieba_words() -> dict[str, tuple[str, int]]:
    words: dict[str, tuple[str, int]] = {}
    with open(_jieba_dict(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= 4:
                words[parts[0]] = (parts[2], int(parts[1]))
    return words


@functools.cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _converter().convert(text) if text else text
