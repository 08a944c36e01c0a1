"""The Ray Data engine writes what the local engine writes.

Ray is optional (`pip install -e '.[ray]'`): without it these tests skip, except the one
checking the error message. They start a one-CPU local Ray (a few seconds).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from textfix.cli import main
from textfix.io import plan_tasks
from textfix.pipeline import CLEAN_STAGES, Pipeline
from textfix.runner import run_tasks

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(FIXTURES.glob("*.txt"))
CORRUPTED = "001_627f8ad51e47a4a5.txt"


@pytest.fixture(scope="module")
def ray():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=1, include_dashboard=False)
    yield ray
    if started:
        ray.shutdown()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two JSONL shards of the seeds (the corrupted one included) with fields beside `text`,
    a blank and an invalid line, one seed as .txt and two as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path / "corpus"
    root.mkdir()
    rows = [
        {"id": seed.stem, "text": seed.read_text("utf-8"), "url": f"https://example.org/{i}", "meta": {"n": i, "tags": ["web", "zh"]}}
        for i, seed in enumerate(SEEDS)
    ]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    (root / "a.jsonl").write_text("\n".join(lines[:3]) + "\n\n{broken\n", "utf-8")
    (root / "b.jsonl").write_text("\n".join(lines[3:]) + "\n", "utf-8")
    (root / "c.txt").write_text(rows[1]["text"], "utf-8")
    pq.write_table(pa.Table.from_pylist([{"text": r["text"], "url": r["url"]} for r in rows[:2]]), root / "d.parquet")
    return root


def outputs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_ray_output_equals_local_output(ray, corpus, tmp_path):
    from textfix.engines.ray import run_ray

    pipeline = Pipeline.from_names(CLEAN_STAGES)
    local = run_tasks(plan_tasks([str(corpus)], str(tmp_path / "local")), pipeline)
    distributed = run_ray(pipeline, [str(corpus)], str(tmp_path / "ray"))

    assert list(outputs(tmp_path / "ray")) == ["a.jsonl", "b.jsonl", "c.txt", "d.parquet"]  # one per input
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    counted = ("files", "documents", "documents_changed", "documents_dropped", "bytes_in", "bytes_out", "changes", "errors")
    assert {k: distributed.to_dict()[k] for k in counted} == {k: local.to_dict()[k] for k in counted}
    assert distributed.changes["repair"]["misaligned-gbk"] > 0  # the corrupted seed was repaired, twice over
    assert distributed.errors == [f"{corpus / 'a.jsonl'}:5: invalid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); line copied unchanged"]


def test_other_fields_pass_through(ray, corpus, tmp_path):
    from textfix.engines.ray import run_ray

    run_ray(Pipeline.from_names(["repair"]), [str(corpus / "a.jsonl"), str(corpus / "b.jsonl")], str(tmp_path / "out"))
    source = [json.loads(line) for name in ("a.jsonl", "b.jsonl") for line in (corpus / name).read_text("utf-8").splitlines() if line.startswith("{\"")]
    written = [json.loads(line) for name in ("a.jsonl", "b.jsonl") for line in (tmp_path / "out" / name).read_text("utf-8").splitlines() if line.startswith("{\"")]
    assert [list(row) for row in written] == [list(row) for row in source]  # same keys, same order
    assert [{k: v for k, v in row.items() if k != "text"} for row in written] == [{k: v for k, v in row.items() if k != "text"} for row in source]
    changed = [row["id"] for row, before in zip(written, source) if row["text"] != before["text"]]
    assert changed == [Path(CORRUPTED).stem]
    assert (tmp_path / "out" / "a.jsonl").read_text("utf-8").endswith("\n\n{broken\n")  # blank and bad lines copied


def test_cli_engine_ray_equals_local(ray, corpus, tmp_path):
    runner = CliRunner()
    args = ["repair", str(corpus / "b.jsonl"), str(corpus / "c.txt"), "-q"]
    local = runner.invoke(main, [*args, "-o", str(tmp_path / "local")], catch_exceptions=False)
    distributed = runner.invoke(main, [*args, "-o", str(tmp_path / "ray"), "--engine", "ray"], catch_exceptions=False)
    assert local.exit_code == distributed.exit_code == 0, distributed.output
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert (tmp_path / "ray" / "c.txt").read_bytes() != (corpus / "c.txt").read_bytes()  # seed 001 repaired


def test_cli_engine_ray_refuses_stdin(ray):
    result = CliRunner().invoke(main, ["repair", "-", "--engine", "ray"], input="text")
    assert result.exit_code == 2 and "not stdin" in result.output


def test_missing_ray_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    seed = tmp_path / "seed.txt"
    seed.write_text("text", "utf-8")
    result = CliRunner().invoke(main, ["repair", str(seed), "-o", str(tmp_path / "out.txt"), "--engine", "ray"])
    assert result.exit_code == 1
    assert "pip install 'textfix[ray]'" in result.output and not (tmp_path / "out.txt").exists()
