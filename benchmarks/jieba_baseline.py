"""The tokenizer the index used before jieba-rs: Python jieba with our dictionary, for perf.py's baseline column."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def segmenter():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    from retrieval.tokenize import _domain_terms

    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    seg.initialize()
    for term in _domain_terms():
        seg.add_word(term, freq=2000)
    return seg
