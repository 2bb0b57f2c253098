"""One lexical channel of one segment: sorted term keys, their postings (row, term frequency), row lengths.

Terms are stored as stable 64-bit keys (blake2b of the token), so a segment needs no string dictionary: looking a
term up is a binary search in a memory-mapped array, and merging segments is a union of integer arrays. With two
million distinct terms the chance that two share a key is about 1e-7.

Files of channel `<ch>` in a segment folder (raw little-endian arrays, memory-mapped when read):
    <ch>.terms  uint64  distinct term keys, ascending
    <ch>.ptr    int64   postings of term i are [ptr[i], ptr[i+1])
    <ch>.rows   uint32  the rows holding the term, ascending within a term
    <ch>.tfs    uint16  how often the term occurs in that row
    <ch>.len    uint32  tokens per row (BM25's document length)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b
from itertools import chain
from pathlib import Path

import numpy as np

DTYPES = {"terms": "<u8", "ptr": "<i8", "rows": "<u4", "tfs": "<u2", "len": "<u4"}
MAX_TF = np.iinfo(np.uint16).max


_KEYS: dict[str, int] = {}
KEY_CACHE = 1_000_000  # terms whose key is remembered per process (about 100 MB): most tokens are common ones
NUMERIC = np.uint64(1 << 63)  # keys with this bit are exact codes of one or two CJK characters, the rest hashes
SINGLE = np.uint64(1 << 42)
CJK_FIRST, CJK_LAST = 0x3400, 0x9FFF  # the range tokenize's bigram channel cuts


def term_key(token: str) -> int:
    """The 64-bit key of a term. One or two CJK characters (every bigram, many words) are coded exactly, so the
    bigram channel is encoded with numpy from the characters; anything else is a blake2b hash with the top bit
    cleared (two hashed terms share a key with probability about 1e-7 at two million terms)."""
    if len(token) <= 2 and all(CJK_FIRST <= ord(c) <= CJK_LAST for c in token) and token:
        return int(NUMERIC) | (ord(token[0]) << 21 | ord(token[1]) if len(token) == 2 else int(SINGLE) | ord(token))
    return int.from_bytes(blake2b(token.encode(), digest_size=8).digest(), "little") & ~int(NUMERIC)


def term_keys(tokens: Sequence[str]) -> np.ndarray:
    """The key of each token (see term_key), through a per-process cache."""
    cache = _KEYS
    missing = set(tokens).difference(cache)
    if len(cache) + len(missing) > KEY_CACHE:
        cache.clear()
        missing = set(tokens)
    cache.update(zip(missing, map(term_key, missing), strict=True))
    return np.fromiter(map(cache.__getitem__, tokens), dtype="<u8", count=len(tokens))


def bigram_keys(text: str) -> np.ndarray:
    """The keys of bigrams(text), computed from the characters at once (same multiset as term_keys(bigrams(text)))."""
    from retrieval.tokenize import latin_runs

    cp = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    cjk = (cp >= CJK_FIRST) & (cp <= CJK_LAST)
    pairs = cjk[:-1] & cjk[1:]
    alone = cjk & ~np.r_[False, cjk[:-1]] & ~np.r_[cjk[1:], False]
    return np.concatenate([NUMERIC | (cp[:-1][pairs] << np.uint64(21)) | cp[1:][pairs],
                           NUMERIC | SINGLE | cp[alone], term_keys(latin_runs(text))])


@dataclass
class Encoded:
    """Postings of a run of passages in row order: one entry per distinct (row, term)."""

    rows: np.ndarray  # uint32
    keys: np.ndarray  # uint64
    tfs: np.ndarray  # uint16
    lengths: np.ndarray  # uint32, one per row

    @property
    def n_rows(self) -> int:
        return len(self.lengths)

    @classmethod
    def concat(cls, parts: Sequence[Encoded]) -> Encoded:
        """Join runs: the rows of each part follow those of the part before."""
        if not parts:
            return encode_keys(np.zeros(0, "<u8"), np.zeros(0, np.int64))
        offsets = np.cumsum([0, *(p.n_rows for p in parts[:-1])])
        return cls(np.concatenate([p.rows + np.uint32(o) for p, o in zip(parts, offsets, strict=True)]),
                   np.concatenate([p.keys for p in parts]), np.concatenate([p.tfs for p in parts]),
                   np.concatenate([p.lengths for p in parts]))


def encode_keys(keys: np.ndarray, lengths: np.ndarray) -> Encoded:
    """Count terms per row: `keys` holds every row's term keys one row after the other, `lengths` their counts."""
    rows = np.repeat(np.arange(len(lengths), dtype=np.uint32), lengths)
    order = np.lexsort((keys, rows))
    k, r = keys[order], rows[order]
    first = np.flatnonzero(np.r_[True, (k[1:] != k[:-1]) | (r[1:] != r[:-1])]) if len(k) else np.zeros(0, np.int64)
    tfs = np.diff(np.r_[first, len(k)])
    return Encoded(r[first].astype("<u4"), k[first].astype("<u8"), np.minimum(tfs, MAX_TF).astype("<u2"),
                   np.asarray(lengths).astype("<u4"))


def encode(passages: Sequence[Sequence[str]]) -> Encoded:
    """Count each passage's terms (token strings)."""
    lengths = np.fromiter(map(len, passages), dtype=np.int64, count=len(passages))
    return encode_keys(term_keys(list(chain.from_iterable(passages))), lengths)


def write_channel(folder: Path, name: str, enc: Encoded) -> int:
    """Write a channel from row-ordered postings; returns the number of distinct terms."""
    order = np.argsort(enc.keys, kind="stable")  # stable: rows stay ascending within a term
    keys = enc.keys[order]
    terms, starts = np.unique(keys, return_index=True)
    ptr = np.append(starts, len(keys)).astype("<i8")
    _save(folder, name, terms=terms, ptr=ptr, rows=enc.rows[order], tfs=enc.tfs[order], len=enc.lengths)
    return len(terms)


def _save(folder: Path, name: str, **arrays: np.ndarray) -> None:
    for part, arr in arrays.items():
        np.ascontiguousarray(arr, dtype=DTYPES[part]).tofile(folder / f"{name}.{part}")


def _load(folder: Path, name: str, part: str) -> np.ndarray:
    path = folder / f"{name}.{part}"
    if path.stat().st_size == 0:  # mmap cannot map an empty file
        return np.zeros(0, DTYPES[part])
    return np.memmap(path, dtype=DTYPES[part], mode="r")


class Postings:
    """A channel of one segment, memory-mapped: only the pages of the terms a query asks for are read."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name = folder, name
        self.terms, self.ptr, self.rows, self.tfs, self.lengths = (
            _load(folder, name, part) for part in ("terms", "ptr", "rows", "tfs", "len"))

    def read(self, part: str, start: int, end: int) -> np.ndarray:
        """A copy of part[start:end] read from the file, not mapped: a merge reads every posting once, and mapped
        pages would stay counted in the process's memory until it ends."""
        dtype = np.dtype(DTYPES[part])
        return np.fromfile(self.folder / f"{self.name}.{part}", dtype=dtype, count=end - start,
                           offset=start * dtype.itemsize)

    @property
    def n_rows(self) -> int:
        return len(self.lengths)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Index of each key in `terms`, or -1."""
        if not len(self.terms):
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.searchsorted(self.terms, keys)
        pos = np.minimum(pos, len(self.terms) - 1)
        return np.where(self.terms[pos] == keys, pos, -1)

    def postings(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.ptr[i]), int(self.ptr[i + 1])
        return self.rows[start:end], self.tfs[start:end]


MERGE_BUDGET = 4_000_000  # postings held in memory at once while merging (about 60 MB)


def merge_channel(folder: Path, name: str, parts: Sequence[tuple[Postings, np.ndarray]],
                  new_rows: Sequence[np.ndarray], n_rows: int) -> int:
    """Write the union of several segments' channel: row r of part i becomes row new_rows[i][r] (deleted rows,
    where new_rows is -1, are dropped). Returns the number of distinct terms.

    The work goes by ranges of term keys holding at most MERGE_BUDGET postings (a single term's excepted): memory
    stays bounded whatever the segments' size.
    """
    lengths = np.zeros(n_rows, dtype="<u4")
    for (p, _), renumber in zip(parts, new_rows, strict=True):
        kept = renumber >= 0
        lengths[renumber[kept]] = p.read("len", 0, p.n_rows)[kept]
    bounds = [0, *_bounds(parts)]
    n_ranges = len(bounds)
    files = {part: open(folder / f"{name}.{part}", "wb") for part in ("terms", "ptr", "rows", "tfs")}  # noqa: SIM115
    written = n_terms = 0
    try:
        for i, lo in enumerate(bounds):
            keys, rows, tfs = _range(parts, new_rows, lo, bounds[i + 1] if i + 1 < n_ranges else None)
            order = np.lexsort((rows, keys))  # by term, then row
            terms, starts = np.unique(keys[order], return_index=True)
            for part, arr in (("terms", terms), ("ptr", starts + written), ("rows", rows[order]), ("tfs", tfs[order])):
                np.ascontiguousarray(arr, dtype=DTYPES[part]).tofile(files[part])
            written += len(keys)
            n_terms += len(terms)
        np.array([written], dtype=DTYPES["ptr"]).tofile(files["ptr"])
    finally:
        for fh in files.values():
            fh.close()
    _save(folder, name, len=lengths)
    return n_terms


def _bounds(parts: Sequence[tuple[Postings, np.ndarray]]) -> list[int]:
    """Term keys to cut the merge at: each part's key after every MERGE_BUDGET / len(parts) of its postings, so a
    range holds at most MERGE_BUDGET postings in all (keys are not uniform: CJK pairs are coded, not hashed)."""
    step = max(1, MERGE_BUDGET // max(1, len(parts)))
    keys: set[int] = set()
    for p, _ in parts:
        n = len(p.terms)
        ptr = p.read("ptr", 0, n + 1)
        if n and int(ptr[-1]) > step:
            at = np.unique(np.searchsorted(ptr, np.arange(step, int(ptr[-1]), step), side="right") - 1)
            keys.update(p.read("terms", 0, n)[at[(at > 0) & (at < n)]].tolist())
    return sorted(keys)


def _range(parts: Sequence[tuple[Postings, np.ndarray]], new_rows: Sequence[np.ndarray], lo: int,
           hi: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The kept postings of term keys in [lo, hi) of every part, rows renumbered."""
    keys, rows, tfs = [np.zeros(0, "<u8")], [np.zeros(0, "<i8")], [np.zeros(0, "<u2")]
    for (p, _), renumber in zip(parts, new_rows, strict=True):
        a = int(np.searchsorted(p.terms, np.uint64(lo)))
        b = len(p.terms) if hi is None else int(np.searchsorted(p.terms, np.uint64(hi)))
        ptr = p.read("ptr", a, b + 1)
        start, end = int(ptr[0]), int(ptr[-1])
        r = renumber[p.read("rows", start, end)]
        live = r >= 0
        keys.append(np.repeat(p.read("terms", a, b), np.diff(ptr))[live])
        rows.append(r[live])
        tfs.append(p.read("tfs", start, end)[live])
    return np.concatenate(keys), np.concatenate(rows), np.concatenate(tfs)


def encode_channels(passages: Sequence[tuple[str, str, str]]) -> dict[str, Encoded]:
    """A document's passages (normalised text, heading, title) as the local writer takes them: run in ingest's
    worker processes, so the writer only concatenates arrays."""
    from retrieval.passages import label_norm, passage_words

    words = encode([passage_words(norm, heading, title) for norm, heading, title in passages])
    parts = [bigram_keys(f"{norm}\n{label_norm(heading)}\n{label_norm(title)}") for norm, heading, title in passages]
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    keys = np.concatenate(parts) if parts else np.zeros(0, "<u8")
    return {"words": words, "bigrams": encode_keys(keys, lengths)}
