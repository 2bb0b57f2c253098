"""The retriever as a LangChain `BaseRetriever`, so it plugs into LangChain chains."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.models import Filters, Hit
from retrieval.search import Searcher


def to_document(hit: Hit) -> LCDocument:
    meta = hit.meta
    return LCDocument(
        page_content=hit.chunk.text,
        metadata={"doc_id": hit.chunk.doc_id, "chunk_id": hit.chunk.chunk_id, "title": meta.title,
                  "speaker": meta.speaker, "date": meta.date.isoformat() if meta.date else None,
                  "place": meta.place, "source": meta.source, "heading": hit.chunk.heading,
                  "start": hit.chunk.start, "end": hit.chunk.end, "score": hit.score,
                  "scores": hit.scores.model_dump()},
    )


class SpeechRetriever(BaseRetriever):
    """Hybrid speech search (the same path the bot uses) returning LangChain documents.

    Example:
        retriever = SpeechRetriever(searcher=Searcher(open_index(path)), k=5)
        docs = retriever.invoke("金华今年招商目标是多少?")
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [to_document(h) for h in self.searcher.search(query, self.k, self.filters).hits]
