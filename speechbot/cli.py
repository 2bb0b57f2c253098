"""The `speechbot` command: ingest, ask, search, docs, eval, serve."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from typer.core import TyperGroup

from bot.models import Answer, Turn
from bot.pipeline import to_citation
from retrieval.errors import RetrievalError
from retrieval.models import Filters
from speechbot import evaluate, wiring
from speechbot.settings import Settings


class _CleanErrors(TyperGroup):
    """Expected failures (no index, unknown document, unreadable path) end as one `error:` line, exit code 1."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (RetrievalError, OSError, ValueError) as exc:
            _fail(str(exc))


app = typer.Typer(cls=_CleanErrors, add_completion=False, no_args_is_help=True,
                  help="Ask questions about Chinese government speeches.")
docs_app = typer.Typer(no_args_is_help=True, help="List, show and remove ingested documents.")
app.add_typer(docs_app, name="docs")
index_app = typer.Typer(no_args_is_help=True, help="Maintain the index.")
app.add_typer(index_app, name="index")
err = Console(stderr=True)
out = Console(highlight=False)

IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Index folder (default: SPEECHBOT_INDEX or the data folder).")
]


def settings_for(index: Path | None) -> Settings:
    s = Settings()
    return s.model_copy(update={"index": index}) if index else s


def _fail(message: str) -> None:
    # soft_wrap: one line however long the message (paths), so scripts can grep for it
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .docx .pdf .jsonl).")],
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Start a fresh index instead of updating the current one.")] = False,
) -> None:
    """Add or update speeches.  Example: speechbot ingest ./speeches"""
    for p in paths:
        if not p.exists():
            _fail(f"{p}: no such file or folder")
    ingestor = wiring.make_ingestor(settings_for(index), rebuild=rebuild)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        report = ingestor.run(paths, progress=lambda o: progress.advance(task))
    for o in report.outcomes:
        if o.outcome == "failed":
            err.print(f"failed: {o.path}: {o.detail}", highlight=False)
        elif o.outcome == "duplicate":
            err.print(f"duplicate: {o.path} ({o.detail})", highlight=False)
    out.print(" ".join(f"{k}={v}" for k, v in report.summary().items()))


def _filters(place: str | None, speaker: str | None, date_from: str | None, date_to: str | None,
             doc: list[str] | None) -> Filters:
    return Filters(place=place, speaker=speaker, date_from=date_from, date_to=date_to, doc_ids=doc or None)


def _print_answer(a: Answer) -> None:
    out.print(a.answer)
    for c in a.citations:
        meta = " · ".join(x for x in (c.title, c.speaker, c.date or "", c.place) if x)
        out.print(f"\n[{c.id}] {meta}  (score {c.score:.2f})\n    {c.heading}\n    {c.text.strip()[:200]}",
                  highlight=False, markup=False)


def _ask_batch(bot, top_k: int | None) -> None:
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            history = [Turn(**t) for t in req.get("history") or []]
            ans = bot.ask(req["question"], history, top_k=top_k)
            sys.stdout.write(ans.model_dump_json() + "\n")
        except (ValueError, KeyError, TypeError) as exc:
            sys.stdout.write(json.dumps({"error": f"line {n}: {exc}", "answer": "", "found": False,
                                         "citations": []}, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read JSON lines from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON.")] = False,
    top_k: Annotated[int | None, typer.Option("-k", "--top-k", help="Passages to return.")] = None,
    index: IndexOpt = None,
) -> None:
    """Answer a question with cited passages.  Example: speechbot ask "金华今年招商目标是多少?"

    With `--json -`, reads one {"question", "history"} object per stdin line and writes one answer per line.
    """
    bot = wiring.make_bot(settings_for(index))
    if question == "-":
        _ask_batch(bot, top_k)
        return
    ans = bot.ask(question, top_k=top_k)
    out.print_json(ans.model_dump_json()) if as_json else _print_answer(ans)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    place: Annotated[str | None, typer.Option(help="Only documents about this place.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Only speeches by this speaker.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date, YYYY-MM-DD.")] = None,
    doc: Annotated[list[str] | None, typer.Option(help="Only this document id (repeatable).")] = None,
    index: IndexOpt = None,
) -> None:
    """Show the passages the bot would use, with component scores.  Example: speechbot search 债务 --place 西峰"""
    bot = wiring.make_bot(settings_for(index))
    hits = bot.retrieve(query, _filters(place, speaker, date_from, date_to, doc), k)
    cits = [to_citation(i + 1, h) for i, h in enumerate(hits)]
    if as_json:
        out.print_json(json.dumps([c.model_dump() for c in cits], ensure_ascii=False))
        return
    for c in cits:
        parts = " ".join(f"{k}={v:.2f}" for k, v in c.scores.items() if v is not None)
        out.print(f"[{c.id}] {c.doc_id} {c.heading[:40]}  score={c.score:.2f} ({parts})\n    {c.text.strip()[:160]}",
                  markup=False, highlight=False)


@docs_app.command("list")
def docs_list(index: IndexOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List ingested documents."""
    idx = wiring.open_index(settings_for(index))
    rows = [{"doc_id": r.doc_id, "title": r.meta.title, "speaker": r.meta.speaker,
             "date": r.meta.date.isoformat() if r.meta.date else None, "place": r.meta.place,
             "chunks": r.n_chunks, "sources": r.sources} for r in idx.documents()]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("doc_id", "title", "speaker", "date", "place", "chunks")
    for r in rows:
        table.add_row(r["doc_id"], r["title"][:30], r["speaker"], r["date"] or "", r["place"], str(r["chunks"]))
    out.print(table)


@docs_app.command("show")
def docs_show(doc_id: str, index: IndexOpt = None) -> None:
    """Show one document's metadata and cleaned text."""
    doc = wiring.open_index(settings_for(index)).document(doc_id)
    out.print_json(doc.meta.model_dump_json())
    out.print(f"sources: {', '.join(doc.sources)}", markup=False)
    out.print(doc.text, markup=False, highlight=False)


@docs_app.command("rm")
def docs_rm(doc_id: str, index: IndexOpt = None) -> None:
    """Remove a document from every index channel."""
    from ingest.pipeline import remove_document

    settings = settings_for(index)
    if not remove_document(settings.index_dir(), doc_id, wiring.backend(settings)):
        _fail(f"no document {doc_id!r} in the index")
    out.print(f"removed {doc_id}")


@index_app.command("optimize")
def index_optimize(index: IndexOpt = None) -> None:
    """Merge the index's segments into one and drop deleted passages for good.  Example: speechbot index optimize"""
    from ingest.pipeline import optimize

    optimize(settings_for(index).index_dir(), wiring.backend(settings_for(index)))
    idx = wiring.open_index(settings_for(index))
    out.print(f"optimized: {idx.n_documents} documents, {len(idx)} passages")


@app.command("eval")
def eval_cmd(
    questions: Annotated[Path, typer.Argument(help="Question set (.jsonl): the speech set or the external format.")],
    answers_out: Annotated[Path | None, typer.Option("--answers", help="Also write the answers here.")] = None,
    index: IndexOpt = None,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the questions answered wrongly.")] = False,
) -> None:
    """Run a question set and print hit@k, answer, citation and refusal figures (per answer mode).

    Example: speechbot eval ../shared/eval/qa_dev.jsonl
    """
    if not questions.exists():
        _fail(f"{questions}: no such file")
    bot = wiring.make_bot(settings_for(index))
    qs = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("asking", total=len(qs))
        for q in qs:
            history = [Turn(**t) for t in q.get("history") or []]
            answers.append(bot.ask(q["question"], history).model_dump())
            progress.advance(task)
    if answers_out:
        answers_out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")
    summary, rows = evaluate.score(qs, answers)
    if show_misses:
        for r in rows:
            if not r.get("ok"):
                out.print("miss", r, markup=False, highlight=False)
    out.print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in summary.items()))
    modes = sorted({r["mode"] for r in rows})
    if len(modes) > 1 or modes != ["extractive"]:
        for m in modes:
            sub = evaluate.summarize([r for r in rows if r["mode"] == m])
            out.print(f"mode={m} " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                              for k, v in sub.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    index: IndexOpt = None,
) -> None:
    """Run the HTTP service and web chat page.  Example: speechbot serve --port 8000"""
    try:
        from speechbot.server import create_app
    except ImportError as exc:
        _fail(f"the service is not available: {exc}")
    import uvicorn

    uvicorn.run(create_app(settings_for(index)), host=host, port=port)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    app()  # expected errors become one line in _CleanErrors.invoke
