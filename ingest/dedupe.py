"""Near-duplicate detection: a 64-bit SimHash of each document's normalised text.

Reposts of one speech differ by navigation, bylines, footers and script; their fingerprints differ in a few
bits. One integer per document is stored in the index, and a check is a vectorised popcount over all of them.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SHINGLE = 4
MAX_DISTANCE = 6  # of 64 bits; measured: reposts of a speech with other headers/footers stay within 3
_DROP = re.compile(r"[\s\W_]+")


def simhash(norm_text: str) -> int:
    """Fingerprint of text without spaces and punctuation (so layout and quote styles do not count)."""
    text = _DROP.sub("", norm_text)
    if len(text) < SHINGLE:
        text = text.ljust(SHINGLE, "_")
    grams = {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
    hashes = np.fromiter((int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                          for g in grams), dtype=np.uint64, count=len(grams))
    bits = ((hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)).astype(np.int64)
    votes = (2 * bits - 1).sum(axis=0)
    return int(sum(1 << i for i in range(64) if votes[i] > 0))


def nearest(fingerprint: int, known: dict[str, int], max_distance: int = MAX_DISTANCE) -> str | None:
    """The known document closest to the fingerprint, if within max_distance bits."""
    if not known:
        return None
    ids = list(known)
    values = np.array([known[i] for i in ids], dtype=np.uint64)
    x = np.bitwise_xor(values, np.uint64(fingerprint))
    dist = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
    best = int(np.argmin(dist))
    return ids[best] if dist[best] <= max_distance else None
