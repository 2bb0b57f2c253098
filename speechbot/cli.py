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
from typer.core import TyperGroup

from bot.models import Answer, Citation, Turn
from bot.pipeline import to_citation
from bot.quoting import first_words, split_citations
from retrieval.errors import RetrievalError
from retrieval.models import Filters
from retrieval.textnorm import strip_marks
from speechbot import evaluate, wiring
from speechbot.clierrors import CONFIG_ERRORS, describe
from speechbot.docids import resolve_in
from speechbot.keys import KeyRing, new_key_line, parse_file
from speechbot.settings import Settings


class _CleanErrors(TyperGroup):
    """Expected failures (configuration, no index, unknown document, unreadable path) end as one `error:` line,
    exit code 1."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except CONFIG_ERRORS as exc:
            _fail(describe(exc))
        except (RetrievalError, OSError, ValueError) as exc:
            _fail(str(exc))


# Plain (click) help: typer's rich help shows every flag as `--help <bool>`. No locals in tracebacks: they would
# print API keys.
app = typer.Typer(cls=_CleanErrors, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_show_locals=False, help="Ask questions about Chinese government speeches.")
docs_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       help="List, show and remove ingested documents (an ID may be given by a unique prefix).")
app.add_typer(docs_app, name="docs")
keys_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="API keys for the service.")
app.add_typer(keys_app, name="keys")
index_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Maintain the index.")
app.add_typer(index_app, name="index")
err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)  # long lines are not cut at 80 columns when piped

DocIdArg = Annotated[str, typer.Argument(help="Document ID, or a prefix of exactly one (see: speechbot docs list).")]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Index folder (default: SPEECHBOT_INDEX or the data folder).")
]


def settings_for(index: Path | None) -> Settings:
    s = Settings()
    return s.model_copy(update={"index": index}) if index else s


def _fail(message: str) -> None:
    # soft_wrap and no line breaks: one line however long the message (paths), so scripts can grep for it
    message = " ".join(message.split())
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .docx .pdf .jsonl).")],
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Start a fresh index instead of updating the current one.")] = False,
    replace: Annotated[bool, typer.Option(
        help="Let a document replace one of the same doc_id that came from another file.")] = False,
) -> None:
    """Add or update speeches.  Example: speechbot ingest ./speeches"""
    for p in paths:
        if not p.exists():
            _fail(f"{p}: no such file or folder")
    ingestor = wiring.make_ingestor(settings_for(index), rebuild=rebuild, replace=replace)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        report = ingestor.run(paths, progress=lambda o: progress.advance(task))
    for o in report.outcomes:
        if o.outcome == "failed":
            err.print(f"failed: {o.path}: {o.detail}", highlight=False, markup=False, soft_wrap=True)
        elif o.outcome == "duplicate":
            err.print(f"duplicate: {o.path} ({o.detail})", highlight=False, markup=False, soft_wrap=True)
    out.print(" ".join(f"{k}={v}" for k, v in report.summary().items()))


def _filters(place: str | None, speaker: str | None, date_from: str | None, date_to: str | None,
             doc: list[str] | None) -> Filters:
    return Filters(place=place, speaker=speaker, date_from=date_from, date_to=date_to, doc_ids=doc or None)


def _meta(c: Citation) -> str:
    return " · ".join(x for x in (c.title, c.speaker, c.date or "", c.place) if x)


def _passage_start(c: Citation) -> str:
    text = c.text.strip()
    own_heading = c.heading.split(" > ")[-1]
    if own_heading and text.startswith(own_heading):  # already printed on the line above
        text = text[len(own_heading) :].lstrip("。.、，,：: \n") or text
    return first_words(text, 200)


def _print_answer(a: Answer) -> None:
    """The answer, the passages it cites in full, then the other retrieved ones a line each."""
    out.print(a.answer, markup=False)
    cited, rest = split_citations(a)
    if not (a.found and cited):
        cited, rest = a.citations, []  # a refusal shows its closest passages in full
    for c in cited:
        heading = f"\n    {c.heading}" if c.heading else ""
        out.print(f"\n[{c.id}] {_meta(c)}  (score {c.score:.2f}){heading}\n    {_passage_start(c)}", markup=False)
    if rest:
        out.print("\n更多相关段落：")
        for c in rest:
            out.print(f"[{c.id}] {_meta(c)}{' · ' + c.heading if c.heading else ''}  (score {c.score:.2f})",
                      markup=False)


def _ask_batch(bot, top_k: int | None) -> None:
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            history = [Turn(**t) for t in req.get("history") or []]
            ans = bot.ask(strip_marks(req["question"]), history, top_k=top_k)
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
    ans = bot.ask(strip_marks(question), top_k=top_k)  # zero-width and RTL marks would split words
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
    # One line per document with the whole ID first, so it can be copied (or a unique prefix of it typed).
    width = max((len(r["doc_id"]) for r in rows), default=0)
    for r in rows:
        meta = " · ".join(x for x in (r["title"], r["speaker"], r["date"], r["place"]) if x)
        out.print(f"{r['doc_id']:<{width}}  {meta}  ({r['chunks']} passages)", markup=False)


@docs_app.command("show")
def docs_show(doc_id: DocIdArg, index: IndexOpt = None) -> None:
    """Show one document's metadata and cleaned text."""
    idx = wiring.open_index(settings_for(index))
    doc = idx.document(resolve_in(idx, doc_id))
    out.print_json(doc.meta.model_dump_json())
    out.print(f"sources: {', '.join(doc.sources)}", markup=False)
    out.print(doc.text, markup=False, highlight=False)


@docs_app.command("rm")
def docs_rm(doc_id: DocIdArg, index: IndexOpt = None) -> None:
    """Remove a document from every index channel."""
    from ingest.pipeline import remove_document

    settings = settings_for(index)
    doc_id = resolve_in(wiring.open_index(settings), doc_id)
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
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    index: IndexOpt = None,
    insecure_no_auth: Annotated[bool, typer.Option(
        "--insecure-no-auth", help="Listen beyond this machine without API keys (anyone can change the library).")
    ] = False,
) -> None:
    """Run the HTTP service and web chat page.  Example: speechbot serve --port 8000

    Without API keys (SPEECHBOT_API_KEYS or SPEECHBOT_API_KEYS_FILE) it listens on this machine only.
    """
    try:
        from speechbot.server import create_app
    except ImportError as exc:
        _fail(f"the service is not available: {exc}")
    import uvicorn

    settings = settings_for(index)
    wiring.make_generator(settings)  # a bad model configuration stops here, even before anything is ingested
    if insecure_no_auth:
        settings = settings.model_copy(update={"insecure_no_auth": True})
    line = bind_check(settings, host)
    service = create_app(settings)  # a bad channels file stops here, before the line that says it listens
    err.print(line, highlight=False, markup=False, soft_wrap=True)
    uvicorn.run(service, host=host, port=port)


def bind_check(settings: Settings, host: str) -> str:
    """The line `serve` prints at start; a one-line error (exit 1) when it must not listen on `host`."""
    keys = KeyRing.load(settings.api_keys, settings.api_keys_file)
    if keys:
        return f"API keys required ({len(keys.keys)} configured); listening on {host}"
    if is_loopback(host):
        return f"no API keys configured: listening on {host} only, for this machine"
    if not settings.insecure_no_auth:
        _fail(f"refusing to listen on {host} without API keys: set SPEECHBOT_API_KEYS or SPEECHBOT_API_KEYS_FILE "
              "(see `speechbot keys new`), or pass --insecure-no-auth")
    return f"WARNING: no API keys and listening on {host}: anyone who can reach it can read and change the library"


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@keys_app.command("new")
def keys_new(
    name: Annotated[str, typer.Argument(help="Who the key is for; owns its conversations and jobs.")],
    scopes: Annotated[str, typer.Option("--scopes", help="ask, write, admin joined by +.")] = "ask",
    file: Annotated[Path | None, typer.Option("--file", help="Keys file (default: SPEECHBOT_API_KEYS_FILE).")] = None,
) -> None:
    """Make a key, append its hash to the keys file and print the key once.

    Example: speechbot keys new alice --scopes ask+write --file keys.txt
    """
    target = file or Settings().api_keys_file
    if target is None:
        _fail("no keys file: pass --file or set SPEECHBOT_API_KEYS_FILE")
    key, line = new_key_line(name, scopes)
    existing = parse_file(target) if target.exists() else []
    if any(k.name == name for k in existing):
        _fail(f"a key named {name!r} is already in {target}")
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    target.chmod(0o600)
    out.print(key, markup=False, highlight=False)
    err.print(f"added {name} ({line.split()[-1]}) to {target}; the key is shown only now", highlight=False)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    app()  # expected errors become one line in _CleanErrors.invoke
