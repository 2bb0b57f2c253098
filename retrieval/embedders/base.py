"""The embedder interface: passages and queries are encoded separately.

Some models (bge) want an instruction in front of queries but not passages, so the two entry points stay
apart, as in FlagEmbedding's ``AbsEmbedder``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class Embedder(ABC):
    """Turns text into float32, L2-normalised vectors.

    Attributes:
        name: The model's id or path, for logs and the index manifest.
        dim: The length of every vector this embedder returns.
    """

    name: str
    dim: int

    @abstractmethod
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Encode passages for the index.

        Args:
            texts: The passages, in any script.

        Returns:
            A ``(len(texts), dim)`` float32 array of unit-length rows.
        """

    @abstractmethod
    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Encode search queries, with whatever query-only instruction the model needs.

        Args:
            texts: The queries.

        Returns:
            A ``(len(texts), dim)`` float32 array of unit-length rows.
        """

    def embed_query(self, text: str) -> np.ndarray:
        """Encode one query.

        Args:
            text: The query.

        Returns:
            A ``(dim,)`` float32 unit vector.
        """
        return self.embed_queries([text])[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"
