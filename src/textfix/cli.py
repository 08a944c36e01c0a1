"""The `textfix` command line.

Every file-processing command takes the same I/O options (`@io_options`) and hands a
Pipeline to `run_pipeline`; adding a command is a few lines:

    @main.command()
    @io_options
    def mystage(io: IOOptions) -> None:
        \"\"\"Run my stage.\"\"\"
        run_pipeline(Pipeline(["mystage"]), io)
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, replace
from typing import Callable

import click

from . import __version__
from .boilerplate.cli import line_stats_options, resolve_line_stats
from .dedup.cli import clean_then_dedup, dedup_options, run_dedup
from .document import Change
from .io import FORMATS, InputError, Record, plan_tasks
from .pipeline import CLEAN_STAGES, Pipeline
from .script.normalize import FLAGS as NORMALIZE_FLAGS
from .script.normalize import options_from_flags as normalize_options
from .script.stage import TARGET_CONFIGS


@dataclass(frozen=True)
class IOOptions:
    paths: tuple[str, ...]
    output: str | None
    in_place: bool
    jobs: int | None
    glob: str | None
    format: str | None
    text_field: str
    report: str | None
    quiet: bool
    engine: str = "local"
    ray_address: str | None = None


def io_options(command: Callable) -> Callable:
    """Add the shared input/output options; the command receives them as `io: IOOptions`."""
    options = [
        click.argument("paths", nargs=-1, required=True, metavar="PATH..."),
        click.option("-o", "--output", metavar="OUT", help="Output file (one input file) or directory; '-' for stdout."),
        click.option("--in-place", is_flag=True, help="Replace each input file atomically."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores]."),
        click.option("--glob", metavar="PATTERN", help="Files to take from directories, e.g. '**/*.jsonl' [default: every supported format]."),
        click.option("--format", "format_", type=click.Choice(FORMATS), help="Input format, instead of guessing from the extension (stdin: txt)."),
        click.option("--text-field", default="text", show_default=True, help="JSONL field / Parquet column holding the text."),
        click.option("--report", "report_path", metavar="FILE.json", help="Write counters, changes and errors as JSON."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, no summary."),
    ]

    @functools.wraps(command)
    def wrapper(paths, output, in_place, jobs, glob, format_, text_field, report_path, quiet, **rest):
        io = IOOptions(paths, output, in_place, jobs, glob, format_, text_field, report_path, quiet)
        return command(io=io, **rest)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def engine_options(command: Callable) -> Callable:
    """--engine and --ray-address, folded into `io` (put it below @io_options)."""

    @functools.wraps(command)
    def wrapper(io: IOOptions, engine: str, ray_address: str | None, **rest):
        return command(io=replace(io, engine=engine, ray_address=ray_address), **rest)

    wrapper = click.option("--ray-address", metavar="ADDR", help="Ray cluster to join ('auto', 'ray://HOST:10001') [default: a local Ray with --jobs CPUs].")(wrapper)
    return click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Run the stages in this process/pool, or with Ray Data (pip install 'textfix[ray]').")(wrapper)


def run_pipeline(pipeline: Pipeline, io: IOOptions, on_record: Callable[[Record], None] | None = None) -> None:
    """Run `pipeline` over the inputs in `io`; exits non-zero if any input had an error."""
    from .engines import LocalEngine
    from .report import Report
    from .runner import run_tasks

    try:
        tasks = plan_tasks(list(io.paths), io.output, io.in_place, io.glob, io.format)
    except InputError as err:
        raise click.UsageError(str(err)) from None
    if io.engine == "ray" and "dedup" not in pipeline.names:  # corpus dedup counts documents in order: one process
        from .engines.ray import RayMissing, run_tasks_on_ray

        try:
            report = run_tasks_on_ray(tasks, pipeline, io.text_field, io.ray_address, io.jobs, Report(), not io.quiet, on_record)
        except InputError as err:
            raise click.UsageError(str(err)) from None
        except RayMissing as err:
            raise click.ClickException(str(err)) from None
    else:
        report = run_tasks(
            tasks, pipeline, LocalEngine(io.jobs), Report(), io.text_field, progress=not io.quiet, on_record=on_record
        )
    for message in report.errors:
        click.echo(f"error: {message}", err=True)
    if not io.quiet:
        for message in report.warnings:
            click.echo(f"warning: {message}", err=True)
        click.echo(report.summary(), err=True)
    if io.report:
        report.write_json(io.report)
    if not report.ok:
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textfix")
def main() -> None:
    """Clean and repair multilingual web text (txt, jsonl[.gz|.zst], parquet)."""


@main.command()
@io_options
@engine_options
@click.option("--dedup", "corpus_dedup", is_flag=True, help="Then remove duplicate documents across all outputs (as `textfix dedup`).")
@click.option("--keep-boilerplate", is_flag=True, help="Keep page chrome (skip the boilerplate stage).")
@click.option("--no-dedup", "keep_repeats", is_flag=True, help="Keep repeated lines and second copies inside each document (skip the dedup-in-doc stage).")
@click.option("--normalize", multiple=True, metavar="WHAT", help=f"Opt-in normalisation, repeatable: {', '.join(NORMALIZE_FLAGS)}.")
@click.option("--script", type=click.Choice(sorted(TARGET_CONFIGS)), help="Finally convert Chinese to this script (stage: script).")
@line_stats_options
@dedup_options
def clean(io: IOOptions, corpus_dedup: bool, keep_boilerplate: bool, keep_repeats: bool, normalize: tuple[str, ...], script: str | None, line_stats: str, save_line_stats: str | None, **dedup) -> None:
    """Repair, then strip boilerplate and repeated content (stages: repair, boilerplate, dedup-in-doc)."""
    skipped = {"boilerplate"} if keep_boilerplate else set()
    skipped |= {"dedup-in-doc"} if keep_repeats else set()
    stages = [name for name in CLEAN_STAGES if name not in skipped]
    options = {}
    if not keep_boilerplate:
        stats = resolve_line_stats(io, line_stats, save_line_stats)
        if stats is not None:
            options["boilerplate"] = {"line_stats": stats}
    if normalize:
        try:
            options["normalize"] = normalize_options(normalize)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--normalize") from None
        stages.append("normalize")
    if script:
        options["script"] = {"target": script}
        stages.append("script")
    if corpus_dedup:
        clean_then_dedup(Pipeline.from_names(stages, options), io, **dedup)
    else:
        run_pipeline(Pipeline.from_names(stages, options), io)


@main.command()
@io_options
@dedup_options
def dedup(io: IOOptions, **options) -> None:
    """Remove exact and near-duplicate documents across all inputs; the first of each cluster (in input order) is kept."""
    run_dedup(io, **options)


@main.command()
@io_options
@engine_options
@click.option("--config", required=True, metavar="CONFIG", help="OpenCC config: s2t, t2s, s2tw, s2twp, s2hk, tw2s, tw2sp, hk2s, t2tw, t2hk, t2jp, jp2t, ...")
def convert(io: IOOptions, config: str) -> None:
    """Convert between Chinese scripts with an OpenCC config, word-boundary aware (stage: script)."""
    from .script.convert import configs

    if config not in configs():
        raise click.BadParameter(f"unknown OpenCC config; known: {', '.join(configs())}", param_hint="--config")
    run_pipeline(Pipeline.from_names(["script"], {"script": {"config": config}}), io)


@main.command()
@io_options
@engine_options
@click.option("--diff", is_flag=True, help="Print every change (stage, reason, before/after) to stderr.")
def repair(io: IOOptions, diff: bool) -> None:
    """Undo mojibake and converter damage only (stage: repair)."""
    run_pipeline(Pipeline.from_names(["repair"]), io, on_record=_print_diff if diff else None)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--stages", default="repair", show_default=True, metavar="NAMES", help="Comma-separated stages to check against; 'clean' for the stages of `textfix clean`.")
@click.option("--glob", metavar="PATTERN", help="Files to take from directories [default: every supported format].")
@click.option("--format", "format_", type=click.Choice(FORMATS), help="Input format, instead of guessing from the extension.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field / Parquet column holding the text.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
def check(paths: tuple[str, ...], stages: str, glob: str | None, format_: str | None, text_field: str, jobs: int) -> None:
    """List the files these stages would change, as `path: N changes (stage: reasons)`; exit 1 if any. Writes nothing."""
    from .check import check_files, stage_names
    from .engines import LocalEngine

    if "-" in paths:
        raise click.UsageError("check reads files: give paths, not stdin")
    try:
        pipeline = Pipeline.from_names(stage_names(stages))
        tasks = plan_tasks(list(paths), in_place=True, glob=glob, fmt=format_)  # in place: inputs only, never written
    except ValueError as err:  # InputError too
        raise click.UsageError(str(err)) from None
    checks = check_files(tasks, pipeline, LocalEngine(jobs), text_field)
    for found in checks:
        for message in found.errors:
            click.echo(f"error: {message}", err=True)
        if found.would_change:
            click.echo(found.describe())
    if any(found.would_change or found.errors for found in checks):
        sys.exit(1)


def _print_diff(record: Record) -> None:
    if record.doc is None or not record.doc.changes:
        return
    click.echo(f"--- {record.where}", err=True)
    click.echo(f"+++ {record.where} (repaired)", err=True)
    for change in record.doc.changes:
        click.echo(format_change(change), err=True)


def format_change(change: Change) -> str:
    """A unified-diff-like hunk for one change; spans index the text the stage received."""
    header = f"@@ {change.stage}: {change.reason} [{change.start}:{change.end}] confidence {change.confidence:.2f} @@"
    before = "\n".join("-" + line for line in change.before.split("\n"))
    after = "\n".join("+" + line for line in change.after.split("\n"))
    return f"{header}\n{before}\n{after}"
