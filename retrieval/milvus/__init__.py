"""The Milvus backend: the index as Milvus collections, on a server or cluster (http://host:19530) or in a
milvus-lite file (same API, in-process). See retrieval.milvus.schema for what is stored where."""
