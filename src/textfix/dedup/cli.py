"""`textfix dedup` and `textfix clean --dedup`: corpus dedup over the CLI's inputs/outputs.

Pass 1 indexes every input (corpus.index_inputs); pass 2 is the CLI's own `run_pipeline`
with the dedup stage, in one process, so reports, errors and writers are the usual ones.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from typing import TYPE_CHECKING, Callable

import click

from ..io import InputError, plan_tasks
from ..io.readers import STDIN

if TYPE_CHECKING:
    from ..cli import IOOptions
    from ..pipeline import Pipeline


def dedup_options(command: Callable) -> Callable:
    """--clusters, --threshold, --exact-only; the command receives them as keyword arguments."""
    options = [
        click.option("--clusters", "clusters_path", metavar="FILE.jsonl",
                     help="Write one row per member of each duplicate cluster: id, cluster (id of the kept document), similarity, kept, where."),
        click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=0.7, show_default=True,
                     help="Estimated Jaccard similarity (5-token shingles) from which two documents are near duplicates."),
        click.option("--exact-only", is_flag=True, help="Only exact duplicates (after normalisation); no MinHash."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_dedup(io: "IOOptions", clusters_path: str | None, threshold: float, exact_only: bool) -> None:
    """Remove duplicate documents across all inputs of `io`, keeping the first of each cluster."""
    from ..cli import run_pipeline
    from ..io.atomic import atomic_write
    from ..pipeline import Pipeline
    from .corpus import CorpusDedupStage, MembershipLog, index_inputs
    from .minhash import MinHashParams

    if STDIN in io.paths:
        raise click.UsageError("dedup reads its inputs twice: give files, not stdin")
    try:
        tasks = plan_tasks(list(io.paths), io.output, io.in_place, io.glob, io.format)
    except InputError as err:
        raise click.UsageError(str(err)) from None
    clusters = index_inputs(tasks, MinHashParams(threshold=threshold), near=not exact_only, text_field=io.text_field)
    log = MembershipLog(clusters)
    # Writers write nothing for a dropped one-document file; in place, the file must go.
    dropped_files: list[str] = []
    with atomic_write(clusters_path) if clusters_path else contextlib.nullcontext() as out:

        def write_membership(record) -> None:
            row = log(record.doc.id or record.where)
            if row is not None and out is not None:
                out.write((json.dumps({**row, "where": record.where}, ensure_ascii=False) + "\n").encode("utf-8"))
            if record.dropped and record.line is None and io.in_place:
                dropped_files.append(record.source)

        try:
            run_pipeline(Pipeline([CorpusDedupStage(clusters)]), dataclasses.replace(io, jobs=1), write_membership)
        finally:
            for path in dropped_files:
                os.unlink(path)


def clean_then_dedup(pipeline: "Pipeline", io: "IOOptions", **dedup) -> None:
    """`clean --dedup`: clean as usual, then dedup the cleaned outputs in place (dedup after
    cleaning, so differing chrome has already gone)."""
    from ..cli import run_pipeline

    if io.output == STDIN or (io.output is None and not io.in_place):
        raise click.UsageError("--dedup rewrites the outputs: give -o OUT or --in-place, not stdout")
    try:
        outputs = [task.output for task in plan_tasks(list(io.paths), io.output, io.in_place, io.glob, io.format)]
    except InputError as err:
        raise click.UsageError(str(err)) from None
    run_pipeline(pipeline, io)
    run_dedup(dataclasses.replace(io, paths=tuple(outputs), output=None, in_place=True, glob=None), **dedup)
