"""Text embedders for dense retrieval: a small base, one module per backend, and a factory.

The backend modules import their heavy dependencies lazily, so importing this package is cheap and works
without the ``dense`` extra.
"""

from retrieval.embedders.base import Embedder
from retrieval.embedders.factory import load_embedder

__all__ = ["Embedder", "load_embedder"]
