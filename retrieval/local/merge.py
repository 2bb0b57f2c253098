"""Merge policy: which segments to fold together, so a library that grows by small commits stays a few segments.

Segments are grouped in tiers by their live rows (1-9, 10-99, 100-999, ...); when a tier holds MERGE_FACTOR
segments they become one of the next tier, so each passage is rewritten about once per tier: log10 of the
library's size times in all. A segment with DELETED_SHARE of its rows deleted is rewritten alone, which bounds
the disk that tombstoned rows take.
"""

from __future__ import annotations

import math

from retrieval.local.commits import SegmentRef

MERGE_FACTOR = 10
DELETED_SHARE = 0.3


def _tier(ref: SegmentRef) -> int:
    return int(math.log10(max(ref.rows - ref.deleted, 1)))


def pick(refs: list[SegmentRef], factor: int | None = None) -> list[str]:
    """The names of the segments to merge next (empty: nothing to do)."""
    factor = factor or MERGE_FACTOR
    tiers: dict[int, list[SegmentRef]] = {}
    for ref in refs:
        tiers.setdefault(_tier(ref), []).append(ref)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= factor:
            return [r.name for r in sorted(tiers[tier], key=lambda r: r.rows - r.deleted)[:factor]]
    for ref in refs:
        if ref.deleted and ref.deleted >= DELETED_SHARE * ref.rows:
            return [ref.name]
    return []
