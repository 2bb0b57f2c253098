"""DenseIndex: exact cosine search keyed by chunk id, id filters inside FAISS, and the on-disk round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.dense import FILENAME, DenseIndex, to_unit
from retrieval.errors import DenseIndexError

DIM = 16


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def vectors() -> np.ndarray:
    return _unit(np.random.default_rng(7), 50)


@pytest.fixture
def index(vectors: np.ndarray) -> DenseIndex:
    built = DenseIndex.create(DIM)
    built.add(np.arange(100, 150, dtype=np.int64), vectors)
    return built


def _brute_force(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return ids[np.argsort(-(vectors @ query), kind="stable")[:k]].tolist()


def test_add_len_ids(index: DenseIndex) -> None:
    assert len(index) == 50
    assert index.dim == DIM
    assert index.ids().tolist() == list(range(100, 150))


def test_search_matches_brute_force_cosine(index: DenseIndex, vectors: np.ndarray) -> None:
    query = vectors[3] + 0.3 * vectors[9]
    query /= np.linalg.norm(query)
    hits = index.search(query, 5)
    assert [h.id for h in hits] == _brute_force(vectors, np.arange(100, 150), query, 5)
    assert hits[0].score == pytest.approx(float(vectors[hits[0].id - 100] @ query), abs=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_accepts_row_vector_and_returns_plain_pairs(index: DenseIndex, vectors: np.ndarray) -> None:
    [(chunk_id, score)] = index.search(vectors[0].reshape(1, -1), 1)
    assert (chunk_id, type(chunk_id)) == (100, int)
    assert score == pytest.approx(1.0, abs=1e-5)


def test_k_larger_than_index_returns_everything_without_padding(index: DenseIndex, vectors: np.ndarray) -> None:
    hits = index.search(vectors[0], 500)
    assert len(hits) == 50
    assert all(h.id >= 100 for h in hits)


def test_allowed_filter_runs_inside_faiss(index: DenseIndex, vectors: np.ndarray) -> None:
    # The allowed ids are the three *least* similar to the query, so over-fetching top-k and filtering
    # afterwards would find none of them.
    query = vectors[0]
    least_similar = _brute_force(vectors, np.arange(100, 150), -query, 3)
    hits = index.search(query, 3, allowed=set(least_similar))
    assert sorted(h.id for h in hits) == sorted(least_similar)


@pytest.mark.parametrize("allowed", [{101, 105, 999}, np.array([101, 105, 999], dtype=np.int64), [101, 105, 999]])
def test_allowed_accepts_sets_arrays_and_ignores_unknown_ids(index: DenseIndex, vectors: np.ndarray, allowed) -> None:
    hits = index.search(vectors[0], 10, allowed=allowed)
    assert sorted(h.id for h in hits) == [101, 105]


def test_empty_allowed_or_empty_index_returns_nothing(index: DenseIndex, vectors: np.ndarray) -> None:
    assert index.search(vectors[0], 5, allowed=set()) == []
    assert DenseIndex.create(DIM).search(vectors[0], 5) == []


def test_removed_ids_never_come_back(index: DenseIndex, vectors: np.ndarray) -> None:
    assert index.remove([100, 101, 9999]) == 2
    assert len(index) == 48
    assert {100, 101}.isdisjoint(index.ids().tolist())
    assert {h.id for h in index.search(vectors[0], 50)}.isdisjoint({100, 101})
    assert index.search(vectors[0], 5, allowed={100, 101}) == []


def test_upsert_replaces_and_adds(index: DenseIndex, vectors: np.ndarray) -> None:
    replacement = vectors[[20, 21]]  # 100 and 200 take the vectors of 120 and 121
    index.upsert([100, 200], replacement)
    assert len(index) == 51
    assert sorted(index.ids().tolist()).count(100) == 1
    top = index.search(vectors[20], 2)
    assert {h.id for h in top} == {100, 120}
    assert index.search(vectors[0], 1)[0].id != 100  # the old vector is gone
    assert index.search(vectors[21], 2, allowed={200})[0].score == pytest.approx(1.0, abs=1e-5)


def test_add_rejects_present_and_repeated_ids(index: DenseIndex, vectors: np.ndarray) -> None:
    with pytest.raises(DenseIndexError, match="upsert"):
        index.add([100], vectors[:1])
    with pytest.raises(DenseIndexError, match="repeat"):
        index.add([500, 500], vectors[:2])
    with pytest.raises(DenseIndexError, match="non-negative"):
        index.add([-1], vectors[:1])
    assert len(index) == 50


@pytest.mark.parametrize("shape", [(2, DIM), (1, DIM + 1), (DIM,)])
def test_add_rejects_wrong_shapes(shape: tuple[int, ...]) -> None:
    with pytest.raises(DenseIndexError, match="shape"):
        DenseIndex.create(DIM).add([1], np.ones(shape, dtype=np.float32))


def test_upsert_with_bad_vectors_removes_nothing(index: DenseIndex) -> None:
    with pytest.raises(DenseIndexError):
        index.upsert([100], np.ones((1, DIM + 1), dtype=np.float32))
    assert 100 in index.ids().tolist()


def test_vectors_are_normalised_so_scores_stay_cosines(vectors: np.ndarray) -> None:
    built = DenseIndex.create(DIM)
    built.add([1, 2], np.stack([vectors[0] * 7.0, vectors[1] * 0.1]))
    for hit in built.search(vectors[0] * 3.0, 2):
        assert -1.0 - 1e-5 <= hit.score <= 1.0 + 1e-5
    assert built.search(vectors[0], 1)[0].score == pytest.approx(1.0, abs=1e-5)


def test_save_load_round_trip(index: DenseIndex, vectors: np.ndarray, tmp_path: Path) -> None:
    index.remove([110])
    written = index.save(tmp_path / "idx")
    assert written == tmp_path / "idx" / FILENAME
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == [FILENAME]
    loaded = DenseIndex.load(tmp_path / "idx")
    assert loaded.ids().tolist() == index.ids().tolist()
    assert loaded.search(vectors[4], 5) == index.search(vectors[4], 5)
    assert loaded.search(vectors[10], 5, allowed={110}) == []
    loaded.upsert([110], vectors[10:11])  # a loaded index is still mutable
    assert loaded.search(vectors[10], 1)[0].id == 110


def test_save_overwrites(index: DenseIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    index.remove(list(range(100, 140)))
    index.save(tmp_path)
    assert len(DenseIndex.load(tmp_path)) == 10


def test_load_missing_or_corrupt_raises_specific_error(tmp_path: Path) -> None:
    with pytest.raises(DenseIndexError, match="no dense index"):
        DenseIndex.load(tmp_path)
    (tmp_path / FILENAME).write_bytes(b"not a faiss index")
    with pytest.raises(DenseIndexError, match="cannot read"):
        DenseIndex.load(tmp_path)


def test_create_rejects_bad_dimension() -> None:
    with pytest.raises(DenseIndexError):
        DenseIndex.create(0)


@pytest.mark.parametrize(
    ("cos", "expected"), [(-1.0, 0.0), (0.0, 0.5), (1.0, 1.0), (0.5, 0.75), (1.0000002, 1.0), (-1.2, 0.0)]
)
def test_to_unit(cos: float, expected: float) -> None:
    assert to_unit(cos) == pytest.approx(expected)
