"""Which inputs go to which outputs.

PATH arguments may be files, directories (walked recursively; `--glob` selects files,
default: every supported format) or "-" for stdin. The output tree mirrors the input
tree. One input file with `-o` names the output file; otherwise `-o` is a directory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import TEMP_SUFFIX
from .formats import format_of, is_supported
from .readers import STDIN


class InputError(ValueError):
    """The command line cannot be turned into a plan (a usage error, not a bad input)."""


@dataclass(frozen=True)
class Task:
    input: str  # a path, or "-" for stdin
    output: str  # a path, or "-" for stdout
    format: str


def plan_tasks(
    paths: list[str],
    output: str | None = None,
    in_place: bool = False,
    glob: str | None = None,
    fmt: str | None = None,
) -> list[Task]:
    if in_place and output is not None:
        raise InputError("--in-place and -o/--output exclude each other")
    if in_place and STDIN in paths:
        raise InputError("stdin cannot be edited in place")
    if output is None and not in_place:
        if all(p == STDIN for p in paths):
            output = STDIN
        else:
            raise InputError("say where the output goes: -o OUT, or --in-place")

    single_file = len(paths) == 1 and not Path(paths[0]).is_dir()
    # One input file: -o names the output file, unless it is a directory or ends with "/".
    names_dir = output is not None and (Path(output).is_dir() or output.endswith(("/", os.sep)))
    output_is_dir = output not in (None, STDIN) and (not single_file or names_dir)
    tasks: list[Task] = []
    for path in paths:
        if path == STDIN:
            tasks.append(Task(STDIN, output if not output_is_dir else str(Path(output) / "stdin.txt"), fmt or "txt"))
        elif Path(path).is_dir():
            if output == STDIN:
                raise InputError(f"{path}: a directory cannot be written to stdout")
            if not in_place and Path(output).resolve() == Path(path).resolve():
                raise InputError(f"{output} would overwrite its input; say --in-place to mean it")
            tasks += _walk(Path(path), None if in_place else Path(output), glob, fmt)
        else:  # a file, or a missing path the reader will report
            target = path if in_place else output if not output_is_dir else str(Path(output) / Path(path).name)
            tasks.append(Task(path, target, fmt or format_of(path, default="txt")))
    _refuse_collisions(tasks, in_place)
    return tasks


def _walk(root: Path, out_root: Path | None, glob: str | None, fmt: str | None) -> list[Task]:
    skip = out_root.resolve() if out_root is not None else None
    files = root.glob(glob) if glob else root.rglob("*")
    tasks = []
    for file in sorted(files):
        rel = file.relative_to(root)
        if not file.is_file() or any(part.startswith(".") for part in rel.parts):
            continue  # hidden files and our own temp files are never inputs
        if file.name.endswith(TEMP_SUFFIX) or (skip is not None and _inside(file, skip)):
            continue
        if glob is None and not is_supported(file.name):
            continue
        target = file if out_root is None else out_root / rel
        tasks.append(Task(str(file), str(target), fmt or format_of(file.name, default="txt")))
    return tasks


def _inside(path: Path, directory: Path) -> bool:
    return os.path.commonpath([path.resolve(), directory]) == str(directory)


def _refuse_collisions(tasks: list[Task], in_place: bool) -> None:
    seen: dict[str, str] = {}
    for task in tasks:
        if task.output == STDIN:
            continue
        if not in_place and task.input != STDIN and Path(task.output).resolve() == Path(task.input).resolve():
            raise InputError(f"{task.output} would overwrite its input; say --in-place to mean it")
        if task.output in seen:
            raise InputError(f"{seen[task.output]} and {task.input} would both write {task.output}")
        seen[task.output] = task.input
