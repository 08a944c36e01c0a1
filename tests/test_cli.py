"""The `textfix` command line: commands, I/O options, exit codes, the installed script."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import textfix
from textfix.cli import format_change, main
from textfix.document import Change

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPT = Path(sys.executable).with_name("textfix")

# Plain one-paragraph prose: nothing for repair, boilerplate or in-document dedup to do.
CLEAN_PARAGRAPHS = [
    "李志飞的这句话适用于广大行业，也可看成AIGC行业所面临的现状。",
    "國產大模型在過去一年裏取得了明顯的進展，但仍有很長的路要走。",
    "The committee published its report on Tuesday after two years of hearings.",
    "東京の天気は午後から雨になる見込みです。",
    "서울의 봄은 짧지만 아름답다.",
    "数据清洗是构建语料库的第一步，质量决定了模型的上限。",
]


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_clean_examples_writes_one_output_per_input(tmp_path):
    out = tmp_path / "example-out"
    result = invoke("clean", str(EXAMPLES), "-o", str(out), "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    inputs = sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.is_file())
    outputs = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert outputs == inputs
    assert "李志飞将AIGC看得很透" in (out / "legacy/000-gbk.txt").read_text("utf-8")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["files"] == len(inputs) and report["error_count"] == 0
    assert report["documents"] == len(inputs) - 1 + 3  # corpus.jsonl holds 3 documents
    assert "textfix:" in result.stderr and "documents" in result.stderr


def test_gbk_example_is_transcoded_to_utf8(tmp_path):
    result = invoke("repair", str(EXAMPLES / "legacy/000-gbk.txt"), "-o", str(tmp_path / "x.txt"), "-q")
    assert result.exit_code == 0
    # Whatever the repair stage does, it must do the same to the GBK copy as to the UTF-8 one.
    expected = textfix.repair((EXAMPLES / "pages/000_b6597fa7ecb8248b.txt").read_text("utf-8"))
    assert (tmp_path / "x.txt").read_text("utf-8") == expected
    assert result.stderr == ""


def test_stdin_to_stdout_txt_and_jsonl():
    text = "标准输入的文字\nsecond line\n"
    result = invoke("repair", "-", "-q", input=text.encode("utf-8"))
    assert result.exit_code == 0 and result.stdout_bytes == text.encode("utf-8")
    line = json.dumps({"a": 1, "text": "JSON 行", "b": [None]}, ensure_ascii=False) + "\n"
    result = invoke("clean", "-", "--format", "jsonl", "-q", input=line.encode("utf-8"))
    assert result.exit_code == 0 and result.stdout == line


def test_text_field_option(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "内容", "text": 5}\n')
    assert invoke("repair", str(path), "-o", str(tmp_path / "b.jsonl"), "--text-field", "body", "-q").exit_code == 0
    assert invoke("repair", str(path), "-o", str(tmp_path / "c.jsonl"), "-q").exit_code == 1


def test_broken_jsonl_exits_non_zero_and_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "好的"}\n{"text": broken}\n{"text": "也好"}\n', encoding="utf-8")
    result = invoke("clean", str(path), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 1
    assert f"error: {path}:2: invalid JSON" in result.stderr
    assert (tmp_path / "out.jsonl").read_text("utf-8") == path.read_text("utf-8")


def test_missing_path_still_processes_the_rest(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in/a.txt").write_text("文字")
    result = invoke("repair", str(tmp_path / "nope.txt"), str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in result.stderr
    assert (tmp_path / "out/a.txt").read_text() == "文字"


def test_usage_errors_exit_2(tmp_path):
    result = invoke("clean", str(EXAMPLES))
    assert result.exit_code == 2 and "-o OUT" in result.output
    assert invoke("clean", "-", "--in-place").exit_code == 2


def test_in_place(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("原文".encode("gbk"))
    assert invoke("repair", str(path), "--in-place", "-q").exit_code == 0
    assert path.read_text("utf-8") == "原文"
    assert os.listdir(tmp_path) == ["p.txt"]


def test_format_change_is_a_diff_hunk():
    hunk = format_change(Change("repair", 3, 7, "鍙戠敓", "发生", "utf8-as-gbk", 0.97))
    assert hunk.splitlines() == ["@@ repair: utf8-as-gbk [3:7] confidence 0.97 @@", "-鍙戠敓", "+发生"]


def test_installed_script_and_module_run(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([str(SCRIPT), "clean", str(EXAMPLES), "-o", str(out), "-j", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (out / "corpus.jsonl").exists() and (out / "pages/001_627f8ad51e47a4a5.txt").exists()
    proc = subprocess.run([sys.executable, "-m", "textfix", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "textfix" in proc.stdout


_JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.lists(st.integers(), max_size=3))


@given(
    paragraphs=st.lists(st.sampled_from(CLEAN_PARAGRAPHS), min_size=1, max_size=4),
    fields=st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), _JSON_VALUE, max_size=4),
    text_at=st.integers(0, 4),
    command=st.sampled_from(["clean", "repair"]),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_clean_documents_pass_through_byte_for_byte(tmp_path, paragraphs, fields, text_at, command):
    lines = []
    for paragraph in paragraphs:
        items = [(k, v) for k, v in fields.items() if k != "text"]
        items.insert(min(text_at, len(items)), ("text", paragraph))
        lines.append(json.dumps(dict(items), ensure_ascii=False))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text(paragraphs[0], encoding="utf-8")
    for name in ("in.jsonl", "in.txt"):
        result = invoke(command, str(tmp_path / name), "-o", str(tmp_path / f"out-{name}"), "-q")
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"out-{name}").read_bytes() == (tmp_path / name).read_bytes()
