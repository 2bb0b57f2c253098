"""Exact cosine search over chunk vectors with FAISS, keyed by chunk id.

A flat inner-product index on unit vectors is exact cosine; 70k chunks x 384 dims is about 100 MB, so no
approximate structure is needed. ``IndexIDMap2`` keeps our chunk ids, supports removal, and lets search be
restricted to a set of ids inside FAISS.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import faiss
import numpy as np

from retrieval.errors import DenseIndexError

FILENAME = "dense.faiss"


class DenseHit(NamedTuple):
    """One search result: a chunk id and its cosine similarity to the query (-1 to 1)."""

    id: int
    score: float


def to_unit(cos: float) -> float:
    """Map a cosine similarity onto 0-1, as ``(cos + 1) / 2`` clipped.

    Args:
        cos: A cosine similarity; float error can push it slightly outside -1..1.

    Returns:
        The score in 0-1.
    """
    return min(1.0, max(0.0, (float(cos) + 1.0) / 2.0))


class DenseIndex:
    """Chunk-id-keyed vectors with exact cosine search.

    Args:
        index: A FAISS ``IndexIDMap2`` over an inner-product index; use :meth:`create` or :meth:`load`.
    """

    def __init__(self, index: faiss.IndexIDMap2) -> None:
        self._index = index

    @classmethod
    def create(cls, dim: int) -> DenseIndex:
        """Make an empty index for vectors of length ``dim``."""
        if dim <= 0:
            raise DenseIndexError(f"dimension must be positive, got {dim}")
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @property
    def dim(self) -> int:
        """The vector length this index holds."""
        return self._index.d

    def __len__(self) -> int:
        return self._index.ntotal

    def ids(self) -> np.ndarray:
        """Every id in the index, as int64, in insertion order."""
        return faiss.vector_to_array(self._index.id_map).astype(np.int64, copy=False)

    def add(self, ids: Iterable[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under new ids.

        Args:
            ids: One int64 id per row; none may already be present (use :meth:`upsert` to replace).
            vectors: ``(len(ids), dim)`` array; rows are L2-normalised here so scores stay cosines.

        Raises:
            DenseIndexError: Shapes disagree, an id is negative or repeats, or an id is already present.
        """
        id_array = _as_ids(ids)
        matrix = self._as_matrix(vectors, len(id_array))
        if (id_array < 0).any():
            raise DenseIndexError("ids must be non-negative (FAISS uses -1 for 'no result')")
        if len(np.unique(id_array)) != len(id_array):
            raise DenseIndexError("ids repeat within one add")
        present = id_array[np.isin(id_array, self.ids())]
        if present.size:
            raise DenseIndexError(f"ids already in the index: {present[:10].tolist()}; use upsert to replace")
        if id_array.size:
            self._index.add_with_ids(matrix, id_array)

    def remove(self, ids: Iterable[int] | np.ndarray) -> int:
        """Remove ids; absent ids are ignored.

        Returns:
            How many vectors were removed.
        """
        id_array = _as_ids(ids)
        if not id_array.size:
            return 0
        return int(self._index.remove_ids(faiss.IDSelectorBatch(id_array)))

    def upsert(self, ids: Iterable[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Replace the vectors of ``ids``, adding those not yet present."""
        id_array = _as_ids(ids)
        matrix = self._as_matrix(vectors, len(id_array))  # validate before removing anything
        self.remove(id_array)
        self.add(id_array, matrix)

    def search(
        self, query_vec: np.ndarray, k: int, allowed: set[int] | Iterable[int] | np.ndarray | None = None
    ) -> list[DenseHit]:
        """Find the ``k`` chunks most similar to a query.

        Args:
            query_vec: The query vector, shape ``(dim,)`` or ``(1, dim)``.
            k: How many hits to return at most.
            allowed: If given, only these ids can be returned; the filter runs inside FAISS, so ``k`` hits
                come back whenever ``allowed`` holds that many indexed ids.

        Returns:
            Hits, best first.
        """
        query = self._as_matrix(np.asarray(query_vec).reshape(1, -1), 1)
        params = None
        if allowed is not None:
            allowed_ids = _as_ids(allowed)
            k = min(k, len(allowed_ids))
            selector = faiss.IDSelectorBatch(allowed_ids)
            params = faiss.SearchParameters(sel=selector)
        k = min(k, len(self))
        if k <= 0:
            return []
        scores, found = self._index.search(query, k, params=params)
        return [DenseHit(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i != -1]

    def save(self, directory: Path) -> Path:
        """Write the index to ``directory/dense.faiss``, replacing any older file atomically.

        Returns:
            The path written.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / FILENAME
        partial = directory / (FILENAME + ".partial")
        faiss.write_index(self._index, str(partial))
        os.replace(partial, target)
        return target

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every id and its (unit) vector, in insertion order: what a segment merge copies."""
        flat = faiss.downcast_index(self._index.index)
        matrix = faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dim) if len(self) else np.zeros(0, np.float32)
        return self.ids(), np.array(matrix, dtype=np.float32).reshape(len(self), self.dim)

    @classmethod
    def load(cls, directory: Path, mmap: bool = False) -> DenseIndex:
        """Read an index written by :meth:`save`; with `mmap`, its vectors stay on disk until searched.

        Raises:
            DenseIndexError: The file is missing, unreadable, or not an id-mapped index.
        """
        path = Path(directory) / FILENAME
        if not path.is_file():
            raise DenseIndexError(f"no dense index at {path}")
        try:
            index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP if mmap else 0)
        except RuntimeError as exc:
            raise DenseIndexError(f"cannot read dense index {path}: {exc}") from exc
        if not isinstance(index, faiss.IndexIDMap2):
            raise DenseIndexError(f"{path} holds a {type(index).__name__}, expected IndexIDMap2")
        return cls(index)

    def _as_matrix(self, vectors: np.ndarray, rows: int) -> np.ndarray:
        matrix = np.array(vectors, dtype=np.float32, copy=True, order="C")
        if matrix.ndim != 2 or matrix.shape != (rows, self.dim):
            raise DenseIndexError(f"expected vectors of shape ({rows}, {self.dim}), got {matrix.shape}")
        if rows:
            faiss.normalize_L2(matrix)  # leaves all-zero rows at zero
        return matrix


def _as_ids(ids: Iterable[int] | np.ndarray) -> np.ndarray:
    if not isinstance(ids, np.ndarray):
        ids = np.fromiter(ids, dtype=np.int64)
    if ids.ndim != 1:
        raise DenseIndexError(f"ids must be one-dimensional, got shape {ids.shape}")
    return np.ascontiguousarray(ids, dtype=np.int64)
