"""The LangChain retriever returns the same passages as the searcher, as LangChain documents."""

from pathlib import Path

from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from ingest.pipeline import IngestOptions, Ingestor
from retrieval.backends import open_index
from retrieval.langchain import SpeechRetriever
from retrieval.models import Filters
from retrieval.search import Searcher

SPEECH_A = """某市经济工作会议讲话
王建国
(2023年3月1日)
同志们:
一、认清形势
今年全市要新建标准厂房120万平方米,力争引进亿元以上项目30个。
二、突出重点
要加快城市更新,改造老旧小区45个。
"""
SPEECH_B = """某县乡村振兴推进会讲话
今年全县要新建高标准农田8万亩,发展特色产业村12个,农民人均可支配收入增长8%以上。
"""


def _searcher(tmp_path: Path) -> Searcher:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(SPEECH_A, encoding="utf-8")
    (src / "b.txt").write_text(SPEECH_B, encoding="utf-8")
    Ingestor(tmp_path / "index", IngestOptions()).run([src])
    return Searcher(open_index(tmp_path / "index"))


def test_retriever_is_a_langchain_retriever_returning_the_searchers_passages(tmp_path):
    searcher = _searcher(tmp_path)
    retriever = SpeechRetriever(searcher=searcher, k=2)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("要新建多少标准厂房?")
    hits = searcher.search("要新建多少标准厂房?", 2).hits
    assert all(isinstance(d, LCDocument) for d in docs)
    assert [d.page_content for d in docs] == [h.chunk.text for h in hits]
    assert "120万平方米" in docs[0].page_content
    assert docs[0].metadata["doc_id"] == "a.txt"
    assert 0.0 <= docs[0].metadata["score"] <= 1.0


def test_retriever_applies_filters(tmp_path):
    retriever = SpeechRetriever(searcher=_searcher(tmp_path), k=5, filters=Filters(doc_ids=["b.txt"]))
    docs = retriever.invoke("今年要新建什么?")
    assert docs and {d.metadata["doc_id"] for d in docs} == {"b.txt"}
