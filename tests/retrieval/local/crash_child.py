"""The process the crash test kills: ingests batches (a commit each, merges on the way), deletes, optimizes.

Every operation is logged before it starts and after it returns, so the test knows what was committed.
    python -m tests.retrieval.local.crash_child INDEX LOG BATCH.jsonl...
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(index: Path, log_path: Path, batches: list[Path]) -> None:
    from ingest.pipeline import IngestOptions, Ingestor, optimize, remove_document
    from retrieval.gazetteer import find_places
    from retrieval.local import merge, writer
    from retrieval.tokenize import words

    merge.MERGE_FACTOR = 3  # merges happen within a few commits
    writer.SAVE_DOCS = 7  # rows reach SQLite mid-ingest, before the commit that publishes them
    writer.FLUSH_POSTINGS = 6_000  # and segments are written mid-ingest too
    words("预热"), find_places("青禾县")  # dictionaries loaded before the clock starts: kills land in real work
    with open(log_path, "a", encoding="utf-8", buffering=1) as log:
        start = time.monotonic()

        def say(*words: str) -> None:
            log.write(" ".join([f"{time.monotonic() - start:.3f}", *words]) + "\n")

        say("ready")
        for path in batches:
            say("start", "ingest", path.name)
            Ingestor(index, IngestOptions(workers=1)).run([path])
            say("done", "ingest", path.name)
        for doc_id in ("a0001", "b0002", "c0003"):
            say("start", "delete", doc_id)
            remove_document(index, doc_id)
            say("done", "delete", doc_id)
        say("start", "optimize", "-")
        optimize(index)
        say("done", "optimize", "-")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
