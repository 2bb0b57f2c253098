"""Documents: list, show, upload and delete (both queued as jobs, never run on a request thread); the jobs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from retrieval.base import SpeechIndex
from retrieval.errors import UnknownDocument
from retrieval.models import DocRecord
from speechbot.api.deps import ERRORS, Asker, StateDep, Writer
from speechbot.api.errors import DocumentExists
from speechbot.api.schemas import ChunkSpan, DocumentDetail, DocumentSummary, ErrorBody
from speechbot.api.state import AppState
from speechbot.api.uploads import UPLOAD_BODY, Limits, receive_files
from speechbot.docids import resolve_in
from speechbot.jobs import Job

router = APIRouter(prefix="/api", tags=["documents"])
JOB_ERRORS: dict[int | str, dict] = {
    **ERRORS,
    409: {"model": ErrorBody, "description": "A document of that name exists (upload with replace=true), "
                                             "or too many jobs are waiting"},
}
UPLOAD_ERRORS: dict[int | str, dict] = {
    **JOB_ERRORS,
    413: {"model": ErrorBody, "description": "A file is over the size limit"},
}
# The job a 202 answer names (OpenAPI links: clients and schemathesis follow them).
JOB_LINK = {202: {"description": "Queued", "links": {"GetJob": {
    "operationId": "get_job", "parameters": {"job_id": "$response.body#/job_id"}}}}}


def summary(r: DocRecord) -> DocumentSummary:
    m = r.meta
    return DocumentSummary(doc_id=r.doc_id, title=m.title, speaker=m.speaker, place=m.place, places=m.places,
                           date=m.date.isoformat() if m.date else None, chunks=r.n_chunks, sources=r.sources,
                           added=r.added)


@router.get("/documents", response_model=list[DocumentSummary], responses=ERRORS)
def list_documents(state: StateDep, _who: Asker) -> list[DocumentSummary]:
    """Every ingested document with its metadata, newest first (documents being deleted are left out)."""
    if state.bot is None:
        return []
    gone = state.jobs.pending_deletes()
    records = [r for r in state.bot.searcher.index.documents() if r.doc_id not in gone]
    return [summary(r) for r in sorted(records, key=lambda r: (r.added, r.doc_id), reverse=True)]


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail, responses=ERRORS)
def get_document(doc_id: str, state: StateDep, _who: Asker) -> DocumentDetail:
    """Original and cleaned text, and where each passage (chunk) starts and ends in the cleaned text.

    The ID may be given by a prefix that names exactly one document."""
    index, doc_id = _index_with(state, doc_id)
    doc = index.document(doc_id)
    return DocumentDetail(**summary(index.record(doc_id)).model_dump(), raw=doc.raw, text=doc.text,
                          chunk_spans=_spans(index, doc_id))


@router.post("/documents", response_model=Job, status_code=202, responses={**UPLOAD_ERRORS, **JOB_LINK},
             openapi_extra={"requestBody": UPLOAD_BODY})
async def upload_documents(request: Request, state: StateDep, who: Writer,
                           replace: bool = Query(False, description="Overwrite documents of the same name")) -> Job:
    """Queue files for ingest; poll GET /api/jobs/{id} for progress and each file's outcome.

    Sizes and the number of files are checked while the upload arrives; a file that cannot be read fails alone
    in the job. A file named like an existing document is refused with 409 unless `replace=true`.
    """
    s = state.settings
    job_id, folder = await run_in_threadpool(state.jobs.new_upload)
    try:
        names = await receive_files(dict(request.headers), request.stream(), folder,
                                    Limits(s.max_upload_mb * 1024 * 1024, s.max_upload_files, s.max_upload_mb),
                                    lambda name: _refuse_existing(state, name, replace))
    except BaseException:
        state.jobs.discard(job_id)
        raise
    return state.jobs.submit_ingest(job_id, names, who.name, replace)


@router.get("/jobs", response_model=list[Job], responses=ERRORS)
def list_jobs(state: StateDep, who: Writer) -> list[Job]:
    """The caller's upload and delete jobs (an admin key's: everyone's), newest first."""
    return state.jobs.list(who)


@router.get("/jobs/{job_id}", response_model=Job, responses=ERRORS, operation_id="get_job")
def get_job(job_id: str, state: StateDep, who: Writer) -> Job:
    """One job of the caller's (an admin may read any)."""
    return state.jobs.get(job_id, who)


@router.delete("/documents/{doc_id:path}", response_model=Job, status_code=202,
               responses={**JOB_ERRORS, **JOB_LINK})
def delete_document(doc_id: str, state: StateDep, who: Writer) -> Job:
    """Queue the removal of a document from every index channel; it leaves listings at once.

    The ID may be given by a prefix that names exactly one document."""
    _, doc_id = _index_with(state, doc_id)
    return state.jobs.submit_delete([doc_id], who.name)


def _index_with(state: AppState, given: str) -> tuple[SpeechIndex, str]:
    """The open index and the whole ID `given` stands for (documents being deleted are no longer there).

    The pending deletes are read before the index: a delete that finishes in between has already swapped in the
    index without the document (the job is marked done only after the reload), never the other way round."""
    gone = state.jobs.pending_deletes()
    index = state.index()
    return index, resolve_in(index, given, gone)


def _refuse_existing(state: AppState, name: str, replace: bool) -> None:
    """A file's name is its doc_id: replacing what came from elsewhere needs `replace`."""
    bot = state.bot
    if replace or bot is None:
        return
    try:
        bot.searcher.index.record(name)
    except UnknownDocument:
        return
    raise DocumentExists(name)


def _spans(index: SpeechIndex, doc_id: str) -> list[ChunkSpan]:
    return [ChunkSpan(ordinal=c.ordinal, heading=c.heading, start=c.start, end=c.end, note=c.note)
            for c in index.doc_passages(doc_id)]
