"""The collections of one index (all named `<prefix>_<what>`), created on first write.

    commits    one row per published generation: counts, BM25 length totals, settings (JSON)
    documents  one row per document version: doc_key, doc_id, born/died generations, hashes, fingerprint,
               metadata (JSON, plus speaker/date/places for filters), sources
    texts      each document's texts (raw, cleaned, offset runs, notes) as JSON cut into pieces of PIECE chars
    aliases    inputs kept as near-duplicates of a stored document
    terms      document frequency per channel and sparse dimension (our BM25's global statistics)
    passages   one row per passage: texts, heading, document metadata for filters, born/died generations, and the
               word and bigram channels as sparse vectors of BM25 weights
    dense      one row per passage with its vector, when an embedding model is configured

Milvus wants a vector field in every collection: the bookkeeping collections carry a constant 2-d one (`_v`).
Every collection is read with Strong consistency: a writer must see what it wrote a moment before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymilvus import CollectionSchema, MilvusClient

PIECE = 16_000  # characters of a text piece: at most 64,000 bytes of UTF-8, inside a VARCHAR's 65,535
TEXT_MAX = 65_535
CONSISTENCY = "Strong"
KINDS = ("commits", "documents", "texts", "aliases", "terms", "passages")
FILTER_FIELDS = ("doc_id", "born", "died", "speaker", "date", "places")
PLACES_MAX = 64  # places a document is about (its filter keys)
SOURCES_MAX = 1_000  # sources listed for one document; later ones are still deduplicated, not listed
DUMMY = [0.0, 1.0]


def name(prefix: str, kind: str) -> str:
    return f"{prefix}_{kind}"


def _base(client: MilvusClient, pk: str, pk_type: str = "int") -> CollectionSchema:
    from pymilvus import DataType

    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    if pk_type == "int":
        s.add_field(pk, DataType.INT64, is_primary=True)
    else:
        s.add_field(pk, DataType.VARCHAR, is_primary=True, max_length=1024)
    return s


def _varchar(s: CollectionSchema, *names: str, length: int = TEXT_MAX) -> None:
    from pymilvus import DataType

    for n in names:
        s.add_field(n, DataType.VARCHAR, max_length=length)


def _ints(s: CollectionSchema, *names: str) -> None:
    from pymilvus import DataType

    for n in names:
        s.add_field(n, DataType.INT64)


def _filter_fields(s: CollectionSchema) -> None:
    """What a search filter reads, on every searched row: the generations and the document's metadata."""
    from pymilvus import DataType

    _varchar(s, "doc_id", length=1024)
    _ints(s, "born", "died", "date")  # died 0: alive; date as yyyymmdd, 0 when undated
    _varchar(s, "speaker", length=1024)
    s.add_field("places", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=PLACES_MAX, max_length=256)


def _bookkeeping(client: MilvusClient, kind: str) -> CollectionSchema:
    from pymilvus import DataType

    if kind == "commits":
        s = _base(client, "generation")
        _varchar(s, "info")
    elif kind == "documents":
        s = _base(client, "doc_key")
        _filter_fields(s)
        _varchar(s, "content_hash", "raw_hash", "added", length=128)
        _ints(s, "fingerprint", "n_chunks")
        _varchar(s, "meta")
        s.add_field("sources", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=SOURCES_MAX,
                    max_length=4096)
    elif kind == "texts":
        s = _base(client, "key")  # doc_key * 1024 + piece
        _ints(s, "doc_key")
        _varchar(s, "body")
    elif kind == "aliases":
        s = _base(client, "doc_id", "str")
        _varchar(s, "raw_hash", "twin", length=1024)
        _ints(s, "born")
    else:  # terms: key = channel << 32 | dimension
        s = _base(client, "key")
        _ints(s, "df", "prev", "gen")  # prev: df before generation `gen` changed it (for a rollback)
    s.add_field("_v", DataType.FLOAT_VECTOR, dim=2)
    return s


def _passages(client: MilvusClient, engine_bm25: bool) -> CollectionSchema:
    from pymilvus import DataType, Function, FunctionType

    s = _base(client, "chunk_id")
    _filter_fields(s)
    _ints(s, "doc_key", "ordinal", "start", "stop", "len_words", "len_bigrams")
    _varchar(s, "heading", "text", "norm")
    s.add_field("note", DataType.BOOL)
    s.add_field("avg_words", DataType.DOUBLE)  # the average lengths its BM25 weights were computed with
    s.add_field("avg_bigrams", DataType.DOUBLE)
    s.add_field("words", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("bigrams", DataType.SPARSE_FLOAT_VECTOR)
    if engine_bm25:
        s.add_field("lex", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True,
                    analyzer_params={"tokenizer": "jieba"})
        s.add_field("lex_bm25", DataType.SPARSE_FLOAT_VECTOR)
        s.add_function(Function(name="lex_bm25", function_type=FunctionType.BM25, input_field_names=["lex"],
                                output_field_names=["lex_bm25"]))
    return s


def _dense(client: MilvusClient, dim: int) -> CollectionSchema:
    from pymilvus import DataType

    s = _base(client, "chunk_id")
    _filter_fields(s)
    s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    return s


def create(client: MilvusClient, prefix: str, engine_bm25: bool = False, dense_dim: int | None = None) -> None:
    """Create whichever of the index's collections is missing (and load them all)."""
    from retrieval.milvus.sparse import K1, B

    for kind in (*KINDS, *(("dense",) if dense_dim else ())):
        n = name(prefix, kind)
        if client.has_collection(n):
            client.load_collection(n)
            continue
        params = client.prepare_index_params()
        if kind == "passages":
            schema = _passages(client, engine_bm25)
            for field in ("words", "bigrams"):
                params.add_index(field, index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
            if engine_bm25:
                params.add_index("lex_bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                                 params={"bm25_k1": K1, "bm25_b": B})
        elif kind == "dense":
            schema = _dense(client, dense_dim)
            params.add_index("vector", index_type="FLAT", metric_type="IP")  # unit vectors: exact cosine
        else:
            schema = _bookkeeping(client, kind)
            params.add_index("_v", index_type="FLAT", metric_type="L2")
        client.create_collection(n, schema=schema, index_params=params, consistency_level=CONSISTENCY)


def drop(client: MilvusClient, prefix: str) -> None:
    for kind in (*KINDS, "dense"):
        if client.has_collection(name(prefix, kind)):
            client.drop_collection(name(prefix, kind))
