"""The Ray Data engine: the same Pipeline over the same files, scheduled by Ray.

    from textfix.engines.ray import run_ray
    report = run_ray(Pipeline.from_names(["repair"]), ["corpus/"], "out/", address="auto")

Reading happens in Ray tasks, one per input file, with textfix's own readers rather than
`ray.data.read_json`: Arrow's JSON reader retypes fields and loses each line's bytes,
while textfix keeps unchanged lines byte for byte, every other field as it was, and
reports bad lines as `path:line`. Records travel between operators pickled, one row
each. `map_batches` calls `run_batch` on their documents: documents in, outcomes out.

Writing happens in the driver: it takes the records back in input order
(`preserve_order`) and hands them to textfix's writers, so there is one output per input
file, atomically written, byte-identical to the local engine's. The driver therefore
needs the output path, and the workers need the input paths (a shared filesystem on a
multi-node cluster, where textfix must be installed too).
"""
from __future__ import annotations

import logging
import pickle
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from ..io import InputError, Record, plan_tasks, read
from ..io.readers import STDIN
from ..report import Report
from .batch import run_batch

if TYPE_CHECKING:
    import pyarrow

    from ..io import Task
    from ..pipeline import Pipeline

_BATCH_DOCS = 256  # as the local engine: records per batch handed to run_batch


class RayMissing(ImportError):
    """Ray Data is not installed (it is the optional `ray` extra)."""


def run_ray(
    pipeline: "Pipeline",
    inputs: Sequence[str],
    output: str | None = None,
    *,
    in_place: bool = False,
    glob: str | None = None,
    fmt: str | None = None,
    text_field: str = "text",
    address: str | None = None,
    num_cpus: int | None = None,
    report: Report | None = None,
    progress: bool = False,
    on_record: Callable[[Record], None] | None = None,
) -> Report:
    """Run `pipeline` over `inputs` (files or directories) with Ray Data; outputs as the CLI's.

    `address`: an existing cluster ("auto", "ray://host:10001"); without it, the Ray already
    initialised in this process, else a local one with `num_cpus` CPUs.
    """
    tasks = plan_tasks(list(inputs), output, in_place, glob, fmt)
    return run_tasks_on_ray(tasks, pipeline, text_field, address, num_cpus, report, progress, on_record)


def run_tasks_on_ray(
    tasks: list["Task"],
    pipeline: "Pipeline",
    text_field: str = "text",
    address: str | None = None,
    num_cpus: int | None = None,
    report: Report | None = None,
    progress: bool = False,
    on_record: Callable[[Record], None] | None = None,
) -> Report:
    from ..runner import _Item, _Output  # the local runner's writer switching and accounting

    if any(task.input == STDIN for task in tasks):
        raise InputError("the Ray engine reads files on its workers: give files, not stdin")
    ray = _connect(address, num_cpus, quiet=not progress)
    report = report or Report()
    if not tasks:
        return report
    context = ray.data.DataContext.get_current()
    data_logger = logging.getLogger("ray.data")
    saved = context.execution_options.preserve_order, context.enable_progress_bars, data_logger.level
    context.execution_options.preserve_order = True  # outputs are written in input order
    if not progress:  # Ray's own per-operator bars and execution log, or silence
        context.enable_progress_bars = False
        data_logger.setLevel(logging.ERROR)
    writer = _Output(report, text_field)
    try:
        files = [{"task": i, "input": t.input, "format": t.format} for i, t in enumerate(tasks)]
        dataset = (
            ray.data.from_items(files, override_num_blocks=len(files))
            .map_batches(_read_files, batch_size=1, batch_format="pyarrow", fn_kwargs={"text_field": text_field})
            .map_batches(_run_pipeline, batch_size=_BATCH_DOCS, batch_format="pyarrow", fn_kwargs={"pipeline": pipeline})
        )
        for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
            for index, blob in zip(batch.column("task").to_pylist(), batch.column("record").to_pylist()):
                record: Record = pickle.loads(blob)
                writer.write(_Item(tasks[index], record))
                if record.doc is not None and on_record is not None:
                    on_record(record)
        writer.close()
    except BaseException as exc:  # KeyboardInterrupt too: remove the temp file, keep the target
        writer.abort(exc)
        raise
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars, level = saved
        data_logger.setLevel(level)
    return report


def _connect(address: str | None, num_cpus: int | None, quiet: bool):
    try:
        import ray
        import ray.data  # noqa: F401  (ray without the data extra has no ray.data)
    except ImportError as err:
        raise RayMissing(f"the Ray engine needs Ray Data: pip install 'textfix[ray]' ({err})") from None
    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=None if address else num_cpus,
            include_dashboard=False,
            logging_level=logging.WARNING if quiet else logging.INFO,
        )
    return ray


def _read_files(files: "pyarrow.Table", text_field: str) -> Iterator["pyarrow.Table"]:
    """One input file's records, streamed in batches (runs in a Ray task)."""
    for index, path, fmt in zip(*(files.column(name).to_pylist() for name in ("task", "input", "format"))):
        batch: list[Record] = []
        for record in read(path, fmt, text_field):
            batch.append(record)
            if len(batch) >= _BATCH_DOCS:
                yield _table(index, batch)
                batch = []
        if batch:
            yield _table(index, batch)


def _run_pipeline(rows: "pyarrow.Table", pipeline: "Pipeline") -> "pyarrow.Table":
    """The documents of a batch of records through `run_batch`; each record takes its outcome."""
    from ..runner import _settle

    records: list[Record] = [pickle.loads(blob) for blob in rows.column("record").to_pylist()]
    readable = [record for record in records if record.doc is not None]
    for record, outcome in zip(readable, run_batch(pipeline, [record.doc for record in readable])):
        _settle(record, outcome)
    return rows.set_column(rows.schema.get_field_index("record"), "record", _blobs(records))


def _table(task_index: int, records: list[Record]) -> "pyarrow.Table":
    import pyarrow as pa

    return pa.table({"task": pa.array([task_index] * len(records), pa.int64()), "record": _blobs(records)})


def _blobs(records: list[Record]) -> "pyarrow.Array":
    import pyarrow as pa

    return pa.array([pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL) for record in records], pa.large_binary())
