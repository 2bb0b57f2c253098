"""Documents: list, show, upload (ingested in the background), delete; and the upload jobs."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool

from ingest.pipeline import remove_document
from retrieval.base import SpeechIndex
from retrieval.errors import UnknownDocument
from retrieval.models import DocRecord
from speechbot.api.deps import ERRORS, StateDep
from speechbot.api.schemas import ChunkSpan, Deleted, DocumentDetail, DocumentSummary, ErrorBody
from speechbot.api.state import AppState
from speechbot.api.uploads import read_uploads
from speechbot.jobs import Job

router = APIRouter(prefix="/api", tags=["documents"])
UPLOAD_ERRORS: dict[int | str, dict] = {
    **ERRORS,
    413: {"model": ErrorBody, "description": "A file is over the size limit"},
    415: {"model": ErrorBody, "description": "A file's type is not supported"},
}


def summary(r: DocRecord) -> DocumentSummary:
    m = r.meta
    return DocumentSummary(doc_id=r.doc_id, title=m.title, speaker=m.speaker, place=m.place, places=m.places,
                           date=m.date.isoformat() if m.date else None, chunks=r.n_chunks, sources=r.sources,
                           added=r.added)


@router.get("/documents", response_model=list[DocumentSummary])
def list_documents(state: StateDep) -> list[DocumentSummary]:
    """Every ingested document with its metadata, newest first."""
    if state.bot is None:
        return []
    records = state.bot.searcher.index.documents()
    return [summary(r) for r in sorted(records, key=lambda r: (r.added, r.doc_id), reverse=True)]


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail, responses=ERRORS)
def get_document(doc_id: str, state: StateDep) -> DocumentDetail:
    """Original and cleaned text, and where each passage (chunk) starts and ends in the cleaned text."""
    index = state.index()
    doc = index.document(doc_id)
    return DocumentDetail(**summary(index.record(doc_id)).model_dump(), raw=doc.raw, text=doc.text,
                          chunk_spans=_spans(index, doc_id))


@router.post("/documents", response_model=Job, status_code=202, responses=UPLOAD_ERRORS)
async def upload_documents(state: StateDep, files: list[UploadFile] = File(...)) -> Job:  # noqa: B008
    """Queue one or many files for ingest; poll GET /api/jobs/{id} for progress and per-file outcomes."""
    uploads = await read_uploads(files, state.settings.max_upload_mb)
    return await run_in_threadpool(state.jobs.submit, uploads)


@router.get("/jobs/{job_id}", response_model=Job, responses=ERRORS)
def get_job(job_id: str, state: StateDep) -> Job:
    return state.jobs.get(job_id)


@router.delete("/documents/{doc_id:path}", response_model=Deleted, responses=ERRORS)
def delete_document(doc_id: str, state: StateDep) -> Deleted:
    """Remove a document from every index channel (waits for a running ingest to finish)."""
    _delete(state, doc_id)
    return Deleted(deleted=doc_id)


def _delete(state: AppState, doc_id: str) -> None:
    state.index().record(doc_id)  # UnknownDocument when absent
    with state.jobs.writing:
        if not remove_document(state.settings.index_dir(), doc_id):
            raise UnknownDocument(f"no document {doc_id!r} in the index")
        state.reload()


def _spans(index: SpeechIndex, doc_id: str) -> list[ChunkSpan]:
    return [ChunkSpan(ordinal=c.ordinal, heading=c.heading, start=c.start, end=c.end, note=c.note)
            for c in index.doc_passages(doc_id)]
