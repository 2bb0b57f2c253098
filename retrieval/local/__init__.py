"""The local index backend: immutable segments on disk, documents in SQLite (see retrieval.backends)."""
