"""`textfix clean --line-stats`: the corpus pass that builds `LineStats` before cleaning.

One streaming pass over every input (memory: the fixed-size sketch, one record at a time)
counts in how many documents each line occurs; the boilerplate stage of the cleaning pass
then removes lines found in many documents. The sketch travels to each worker once, with
the pipeline (4 MB by default). Lines are counted as read, before repair: chrome is rarely
the damaged part of a page, and repairing twice would double the cost.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import click

from ..io import InputError, plan_tasks, read
from ..io.readers import STDIN
from .line_stats import LineStats

if TYPE_CHECKING:
    from ..cli import IOOptions
    from ..io import Task

AUTO, OFF = "auto", "off"
MIN_DOCUMENTS = 5  # BoilerplateStage's default min_docs


def line_stats_options(command: Callable) -> Callable:
    """--line-stats and --save-line-stats; the command receives them as keyword arguments."""
    options = [
        click.option("--line-stats", "line_stats", default=AUTO, show_default=True, metavar="auto|off|FILE",
                     help="Corpus line statistics for the boilerplate stage: 'auto' counts lines over all inputs "
                          "in a first pass (files only; stdin is read once), 'off' skips them, FILE loads a saved sketch."),
        click.option("--save-line-stats", metavar="FILE", help="Write the sketch the first pass built (reuse it with --line-stats FILE)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def resolve_line_stats(io: "IOOptions", mode: str, save: str | None) -> LineStats | None:
    """The statistics the boilerplate stage gets for `mode`, or None (then rules and shapes only)."""
    if mode == OFF:
        stats = None
    elif mode != AUTO:
        try:
            stats = LineStats.load(mode)
        except (OSError, ValueError, KeyError) as err:
            raise click.BadParameter(f"cannot load a line-stats sketch from {mode}: {err}", param_hint="--line-stats") from None
    elif STDIN in io.paths:
        if save:
            raise click.UsageError("--save-line-stats needs a first pass over files, not stdin")
        if not io.quiet:
            click.echo("note: line statistics off: stdin is read once (give files, or --line-stats FILE)", err=True)
        return None
    else:
        try:
            tasks = plan_tasks(list(io.paths), io.output, io.in_place, io.glob, io.format)
        except InputError as err:
            raise click.UsageError(str(err)) from None
        stats = count_lines(tasks, io.text_field)
    if save:
        if stats is None:
            raise click.UsageError("--save-line-stats needs --line-stats auto or FILE")
        stats.save(save)
    # fewer documents than a line needs to count as frequent: nothing to learn (one file)
    return stats if stats is not None and stats.documents >= MIN_DOCUMENTS else None


def count_lines(tasks: list["Task"], text_field: str = "text") -> LineStats:
    """The first pass: every readable document of every input, streamed (bad records are
    skipped here; the cleaning pass reports them)."""
    stats = LineStats()
    for task in tasks:
        for record in read(task.input, task.format, text_field):
            if record.doc is not None:
                stats.add(record.doc.text)
    return stats
