"""textfix.io, the local engine and the runner: formats, trees, atomic writes, bad input."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from textfix import Document, Edit, Pipeline
from textfix.engines import LocalEngine
from textfix.io import InputError, atomic_write, plan_tasks, read
from textfix.io.atomic import TEMP_SUFFIX
from textfix.report import Report
from textfix.runner import run_tasks

FIXTURES = Path(__file__).parent / "fixtures"
SEED = (FIXTURES / "000_b6597fa7ecb8248b.txt").read_text("utf-8")


class Shout:
    """Replaces every 'quiet' with 'LOUD' through doc.apply."""

    name = "shout"

    def __call__(self, doc: Document) -> Document:
        edits = []
        start = doc.text.find("quiet")
        while start != -1:
            edits.append(Edit(start, start + 5, "LOUD", "test"))
            start = doc.text.find("quiet", start + 5)
        return doc.apply(self.name, edits)


class DropMarked:
    name = "drop-marked"

    def __call__(self, doc: Document) -> Document | None:
        return None if "DROP" in doc.text else doc


class FailMarked:
    name = "fail-marked"

    def __call__(self, doc: Document) -> Document:
        if "FAIL" in doc.text:
            doc.apply(self.name, [Edit(0, 1, "?", "half-done")])
            raise RuntimeError("stage blew up")
        return doc


class InterruptOnMarked:
    name = "interrupt"

    def __call__(self, doc: Document) -> Document:
        if "INTERRUPT" in doc.text:
            raise KeyboardInterrupt
        return doc


def run(paths, output=None, stages=(Shout(),), jobs=1, **kw):
    tasks = plan_tasks([str(p) for p in paths], None if output is None else str(output), **kw)
    return run_tasks(tasks, Pipeline(list(stages)), LocalEngine(jobs), Report())


def jsonl(path: Path, rows: list, raw_lines: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    for index, raw in (raw_lines or {}).items():
        lines.insert(index, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROWS = [
    {"id": "1", "text": "a quiet morning 安静的早晨", "url": "http://a", "meta": {"k": [1, 2]}},
    {"url": "http://b", "text": "nothing to change 没有变化", "id": "2"},
    {"text": "quiet again", "z": None, "a": 1.5},
]


def test_unchanged_files_pass_through_byte_for_byte(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "seed.txt").write_text(SEED, encoding="utf-8")
    (src / "bom.txt").write_bytes(b"\xef\xbb\xbfwith a BOM\r\nand CRLF\r\n")
    path = src / "clean.jsonl"
    path.write_bytes(b'{"text":"no spaces","id":1}\n{"id": 2,  "text": "\\u4e2d odd spacing"}\n\n{"text": "last, no newline"}')
    report = run([src], tmp_path / "out")
    assert report.ok and report.files == 3
    for name in ("seed.txt", "bom.txt", "clean.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (src / name).read_bytes()


def test_jsonl_changes_only_the_text_field_and_keeps_key_order(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", ROWS)
    report = run([path], tmp_path / "b.jsonl")
    out = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text("utf-8").splitlines()]
    assert [list(o) for o in out] == [list(r) for r in ROWS]
    assert out[0] == {**ROWS[0], "text": "a LOUD morning 安静的早晨"}
    assert out[1] == ROWS[1] and out[2]["text"] == "LOUD again"
    assert report.documents == 3 and report.documents_changed == 2
    assert dict(report.changes["shout"]) == {"test": 2}


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl(tmp_path, suffix):
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS).encode("utf-8")
    path = tmp_path / f"in{suffix}"
    if suffix.endswith(".gz"):
        path.write_bytes(gzip.compress(payload))
    else:
        path.write_bytes(zstandard.ZstdCompressor().compress(payload))
    out = tmp_path / f"out{suffix}"
    assert run([path], out).ok
    data = out.read_bytes()
    text = (gzip.decompress(data) if suffix.endswith(".gz") else zstandard.ZstdDecompressor().stream_reader(data).read()).decode()
    assert [json.loads(line)["text"] for line in text.splitlines()] == ["a LOUD morning 安静的早晨", "nothing to change 没有变化", "LOUD again"]


def test_parquet_rows_and_other_columns(tmp_path):
    table = pa.table({"id": [1, 2, 3], "text": ["quiet one", None, "二 quiet"], "score": [0.5, 1.5, 2.5]})
    pq.write_table(table, tmp_path / "in.parquet")
    report = run([tmp_path / "in.parquet"], tmp_path / "out.parquet")
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema == table.schema
    assert out.column("text").to_pylist() == ["LOUD one", None, "二 LOUD"]
    assert out.column("score").to_pylist() == [0.5, 1.5, 2.5]
    assert report.documents == 2


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_truncated_compressed_jsonl_is_an_error_and_writes_nothing(tmp_path, suffix):
    payload = "".join(json.dumps({"id": i, "text": f"quiet {i} " * 20}) + "\n" for i in range(2000)).encode()
    data = gzip.compress(payload) if suffix.endswith(".gz") else zstandard.ZstdCompressor().compress(payload)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[: len(data) // 2])
    report = run([path], tmp_path / f"out{suffix}")
    assert report.error_count == 1 and report.errors[0].startswith(f"{path}: ")
    assert not (tmp_path / f"out{suffix}").exists()
    report = run([path], in_place=True)
    assert not report.ok and path.read_bytes() == data[: len(data) // 2]
    assert sorted(os.listdir(tmp_path)) == [path.name]


def test_corrupt_parquet_and_multi_frame_zstd(tmp_path):
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really parquet")
    frames = b"".join(zstandard.ZstdCompressor().compress(f'{{"text": "quiet {i}"}}\n'.encode()) for i in range(3))
    (tmp_path / "multi.jsonl.zst").write_bytes(frames)
    report = run([tmp_path / "bad.parquet", tmp_path / "multi.jsonl.zst"], tmp_path / "out")
    assert report.error_count == 1 and "bad.parquet: " in report.errors[0]
    text = zstandard.ZstdDecompressor().stream_reader((tmp_path / "out/multi.jsonl.zst").read_bytes()).read().decode()
    assert [json.loads(x)["text"] for x in text.splitlines()] == ["LOUD 0", "LOUD 1", "LOUD 2"]


def test_empty_parquet_keeps_its_schema(tmp_path):
    schema = pa.schema([("id", pa.int64()), ("text", pa.string())])
    pq.write_table(schema.empty_table(), tmp_path / "e.parquet")
    assert run([tmp_path / "e.parquet"], tmp_path / "out.parquet").ok
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 0 and out.schema == schema


def test_jsonl_metadata_reaches_stages_without_the_text(tmp_path):
    seen = []

    class Peek:
        name = "peek"

        def __call__(self, doc):
            seen.append((doc.id, doc.metadata))
            return doc

    path = jsonl(tmp_path / "a.jsonl", ROWS[:2])
    assert run([path], tmp_path / "b.jsonl", stages=(Peek(),)).ok
    assert seen == [("1", {"id": "1", "url": "http://a", "meta": {"k": [1, 2]}}), ("2", {"url": "http://b", "id": "2"})]


def test_broken_jsonl_lines_are_named_and_the_rest_is_written(tmp_path):
    path = jsonl(tmp_path / "bad.jsonl", ROWS, {1: "{not json", 3: '{"no_text": 1}', 4: "[1, 2]"})
    report = run([path], tmp_path / "out.jsonl")
    assert not report.ok and report.error_count == 3
    assert report.errors[0].startswith(f"{path}:2: invalid JSON")
    assert report.errors[1].startswith(f'{path}:4: no "text" field')
    assert report.errors[2].startswith(f"{path}:5: invalid JSON")
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 6 and lines[1] == "{not json"  # bad lines are kept, never lost
    assert json.loads(lines[0])["text"] == "a LOUD morning 安静的早晨"


def test_directory_tree_is_mirrored_and_glob_selects(tmp_path):
    src = tmp_path / "corpus"
    (src / "a" / "b").mkdir(parents=True)
    (src / "top.txt").write_text("quiet top")
    (src / "a" / "mid.jsonl").write_text(json.dumps({"text": "quiet"}) + "\n")
    (src / "a" / "b" / "deep.txt").write_text("deep quiet")
    (src / "a" / "notes.md").write_text("not a supported format")
    (src / ".hidden.txt").write_text("hidden")
    assert run([src], tmp_path / "out").ok
    got = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert got == ["a/b/deep.txt", "a/mid.jsonl", "top.txt"]
    assert (tmp_path / "out/a/b/deep.txt").read_text() == "deep LOUD"
    assert run([src], tmp_path / "only", glob="**/*.txt").ok
    got = sorted(str(p.relative_to(tmp_path / "only")) for p in (tmp_path / "only").rglob("*") if p.is_file())
    assert got == ["a/b/deep.txt", "top.txt"]


def test_output_inside_the_input_tree_is_not_read_back(tmp_path):
    (tmp_path / "x.txt").write_text("quiet")
    assert run([tmp_path], tmp_path / "out").ok
    assert run([tmp_path], tmp_path / "out").ok  # second run: out/x.txt is not an input
    assert not (tmp_path / "out" / "out").exists()


def test_single_file_output_naming(tmp_path):
    (tmp_path / "a.txt").write_text("quiet")
    assert [t.output for t in plan_tasks([str(tmp_path / "a.txt")], str(tmp_path / "b.txt"))] == [str(tmp_path / "b.txt")]
    assert [t.output for t in plan_tasks([str(tmp_path / "a.txt")], f"{tmp_path}/new/")] == [str(tmp_path / "new/a.txt")]
    with pytest.raises(InputError, match="overwrite its input"):
        plan_tasks([str(tmp_path / "a.txt")], str(tmp_path))
    with pytest.raises(InputError, match="overwrite its input"):
        plan_tasks([str(tmp_path)], str(tmp_path))


def test_usage_errors():
    with pytest.raises(InputError, match="-o OUT"):
        plan_tasks(["a.txt"])
    with pytest.raises(InputError, match="exclude"):
        plan_tasks(["a.txt"], "b.txt", in_place=True)
    with pytest.raises(InputError, match="stdin"):
        plan_tasks(["-"], in_place=True)
    with pytest.raises(InputError, match="both write"):
        plan_tasks(["d1/a.txt", "d2/a.txt"], "out")


@pytest.mark.parametrize("jobs", [1, 2])
def test_in_place_is_atomic_when_interrupted(tmp_path, jobs):
    rows = [{"text": f"quiet line {i}"} for i in range(1000)] + [{"text": "INTERRUPT here"}]
    path = jsonl(tmp_path / "data.jsonl", rows)
    before = path.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        run([path], in_place=True, stages=(Shout(), InterruptOnMarked()), jobs=jobs)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["data.jsonl"]
    assert run([path], in_place=True).ok
    assert path.read_text().count("LOUD") == 1000 and not path.read_text().count("quiet")
    assert os.listdir(tmp_path) == ["data.jsonl"]


def test_unwritable_output_is_an_error_and_the_rest_is_written(tmp_path):
    (tmp_path / "in/a").mkdir(parents=True)
    (tmp_path / "in/a/x.txt").write_text("quiet")
    (tmp_path / "in/y.jsonl").write_text('{"text": "quiet"}\r\n', encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out/a").write_text("a file where a directory should be")
    report = run([tmp_path / "in"], tmp_path / "out")
    assert report.error_count == 1 and report.errors[0].startswith(f"{tmp_path / 'out/a/x.txt'}: cannot write")
    assert (tmp_path / "out/y.jsonl").read_bytes() == b'{"text": "LOUD"}\r\n'


def test_atomic_write_keeps_the_target_on_error(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("original")
    with pytest.raises(OSError):
        with atomic_write(target) as handle:
            handle.write(b"half a new fi")
            raise OSError("disk full")
    assert target.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]
    assert not any(p.name.endswith(TEMP_SUFFIX) for p in tmp_path.iterdir())


def test_in_place_keeps_file_mode(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("quiet")
    path.chmod(0o640)
    assert run([path], in_place=True).ok
    assert path.read_text() == "LOUD" and (path.stat().st_mode & 0o777) == 0o640


def test_missing_binary_empty_and_directory_inputs(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("quiet")
    out = tmp_path / "out"
    inputs = [tmp_path / n for n in ("missing.txt", "img.txt", "empty.txt", "empty.jsonl", "ok.txt")]
    report = run(inputs, out)
    assert (report.files, report.files_failed, report.files_skipped) == (5, 1, 1)
    assert report.errors == [f"{tmp_path / 'missing.txt'}: no such file or directory"]
    assert any("img.txt: skipped: binary" in w for w in report.warnings)
    assert sorted(p.name for p in out.iterdir()) == ["empty.jsonl", "empty.txt", "ok.txt"]
    assert (out / "empty.txt").read_bytes() == b"" and (out / "ok.txt").read_text() == "LOUD"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("quiet")
    path.chmod(0)
    report = run([path], tmp_path / "out.txt")
    assert report.errors == [f"{path}: permission denied"]


def test_legacy_and_mixed_encoded_files_are_written_as_utf8(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in/gbk.txt").write_bytes(SEED.encode("gbk"))
    mixed = "UTF-8 行\n".encode("utf-8") + "GBK 编码的一行文字\n".encode("gbk")
    (tmp_path / "in/mixed.txt").write_bytes(mixed)
    (tmp_path / "in/lines.jsonl").write_bytes(
        json.dumps({"text": "正常 UTF-8"}, ensure_ascii=False).encode() + b"\n" + '{"text": "国标码的一行"}\n'.encode("gbk")
    )
    report = run([tmp_path / "in"], tmp_path / "out", stages=())
    assert report.ok
    assert (tmp_path / "out/gbk.txt").read_text("utf-8") == SEED
    assert (tmp_path / "out/mixed.txt").read_text("utf-8") == "UTF-8 行\nGBK 编码的一行文字\n"
    assert [json.loads(x)["text"] for x in (tmp_path / "out/lines.jsonl").read_text("utf-8").splitlines()] == ["正常 UTF-8", "国标码的一行"]
    assert any("gbk.txt: decoded as gbk" in w for w in report.warnings)


def test_truncated_utf8_file_is_reported(tmp_path):
    (tmp_path / "cut.txt").write_bytes("截断的文字".encode() + "字".encode()[:1])
    report = run([tmp_path / "cut.txt"], tmp_path / "out.txt", stages=())
    assert (tmp_path / "out.txt").read_text("utf-8") == "截断的文字\ufffd"
    assert any("1 undecodable bytes replaced" in w for w in report.warnings)


def test_a_20_mb_single_line(tmp_path):
    filler = "长行文本 0123456789 " * 425_000  # 24 bytes a repeat
    line = "quiet " + filler + "quiet" + filler + " quiet"
    path = jsonl(tmp_path / "big.jsonl", [{"id": 1, "text": line}])
    (tmp_path / "big.txt").write_text(line, encoding="utf-8")
    assert path.stat().st_size > 19_000_000
    assert run([path, tmp_path / "big.txt"], tmp_path / "out").ok
    out_line = json.loads((tmp_path / "out/big.jsonl").read_text("utf-8"))["text"]
    assert out_line == line.replace("quiet", "LOUD")
    assert (tmp_path / "out/big.txt").read_text("utf-8") == out_line


def test_dropped_documents_and_failing_stages(tmp_path):
    rows = [{"text": "keep quiet"}, {"text": "DROP me"}, {"text": "FAIL here"}, {"text": "quiet end"}]
    path = jsonl(tmp_path / "a.jsonl", rows)
    report = run([path], tmp_path / "b.jsonl", stages=(DropMarked(), FailMarked(), Shout()))
    lines = [json.loads(x)["text"] for x in (tmp_path / "b.jsonl").read_text().splitlines()]
    assert lines == ["keep LOUD", "FAIL here", "LOUD end"]
    assert report.documents_dropped == 1
    assert report.errors == [f"{path}:3: stage failed (RuntimeError: stage blew up); document copied unchanged"]


def test_process_pool_keeps_order(tmp_path):
    rows = [{"id": i, "text": f"doc {i} quiet" + (" DROP" if i % 7 == 0 else "")} for i in range(3000)]
    path = jsonl(tmp_path / "many.jsonl", rows)
    one = run([path], tmp_path / "one.jsonl", stages=(DropMarked(), Shout()), jobs=1)
    two = run([path], tmp_path / "two.jsonl", stages=(DropMarked(), Shout()), jobs=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    ids = [json.loads(x)["id"] for x in (tmp_path / "two.jsonl").read_text().splitlines()]
    assert ids == [i for i in range(3000) if i % 7]
    assert one.to_dict()["changes"] == two.to_dict()["changes"] == {"shout": {"test": len(ids)}}


def test_reader_streams_jsonl_lazily(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", ROWS, {3: "{broken"})
    records = read(str(path), "jsonl")
    first = next(records)
    assert (first.line, first.doc.text) == (1, ROWS[0]["text"])
    assert [r.line for r in records] == [2, 3, 4]


def test_progress_bar_on_a_terminal_shows_docs_and_throughput():
    import io as stdio

    from textfix.report import Progress

    class Terminal(stdio.StringIO):
        def isatty(self):
            return True

    report, screen = Report(), Terminal()
    bar = Progress(report, enabled=True, stream=screen)
    report.documents, report.bytes_in = 42, 3_000_000
    bar.close()
    assert "42 docs" in screen.getvalue() and "3.0 MB" in screen.getvalue() and "MB/s" in screen.getvalue()
    silent = Terminal()
    Progress(report, enabled=False, stream=silent).close()
    assert silent.getvalue() == ""
