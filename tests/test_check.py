"""`textfix check` and the pre-commit hooks built on it: lists what would change, writes nothing."""
from __future__ import annotations

import json
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from textfix.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = sorted(FIXTURES.glob("*.txt"))
CORRUPTED = FIXTURES / "001_627f8ad51e47a4a5.txt"
CLEAN = FIXTURES / "000_b6597fa7ecb8248b.txt"
WITH_CHROME = FIXTURES / "002_cabd379895d3200d.txt"  # nothing to repair, but page chrome to clean


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def copy(tmp_path: Path, seed: Path) -> Path:
    return Path(shutil.copy(seed, tmp_path / seed.name))


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_clean_seed_passes_and_is_untouched(tmp_path):
    seed = copy(tmp_path, CLEAN)
    before = snapshot(seed)
    result = invoke("check", str(seed))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert snapshot(seed) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [seed.name]  # no temp file either


def test_corrupted_seed_is_listed_with_its_repairs_and_untouched(tmp_path):
    seed = copy(tmp_path, CORRUPTED)
    before = snapshot(seed)
    result = invoke("check", str(CLEAN), str(seed))
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()  # the clean seed is not listed
    assert line.startswith(f"{seed}: ")
    count = int(line.split(": ")[1].split()[0])
    assert count > 100 and "(repair: " in line and "misaligned-gbk" in line
    assert snapshot(seed) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [seed.name]


def test_listed_exactly_when_repair_would_change_the_bytes(tmp_path):
    """The check's verdict on each seed agrees with what `textfix repair` writes."""
    out = tmp_path / "out"
    assert invoke("repair", *map(str, SEEDS), "-o", str(out), "-q").exit_code == 0
    changed = {str(seed) for seed in SEEDS if (out / seed.name).read_bytes() != seed.read_bytes()}
    result = invoke("check", *map(str, SEEDS))
    listed = {line.split(": ")[0] for line in result.stdout.splitlines()}
    assert listed == changed == {str(CORRUPTED)}
    assert result.exit_code == 1


def test_stages_option_checks_against_clean(tmp_path):
    assert invoke("check", str(WITH_CHROME)).exit_code == 0
    result = invoke("check", "--stages", "clean", str(WITH_CHROME))
    assert result.exit_code == 1
    assert "boilerplate: " in result.stdout and "repair:" not in result.stdout
    assert invoke("check", "--stages", "repair,boilerplate", str(WITH_CHROME)).exit_code == 1


@pytest.mark.parametrize("stages", ["nonsense", "dedup", ","])
def test_unknown_or_uncheckable_stages_are_usage_errors(stages):
    result = invoke("check", "--stages", stages, str(CLEAN))
    assert result.exit_code == 2 and "unknown stage" in result.stderr


def test_legacy_encoding_would_be_rewritten(tmp_path):
    gbk = tmp_path / "page.txt"
    gbk.write_bytes(CLEAN.read_text("utf-8").encode("gbk"))
    before = snapshot(gbk)
    result = invoke("check", str(gbk))
    assert result.exit_code == 1
    assert result.stdout == f"{gbk}: 0 changes, 1 documents rewritten as UTF-8 (read as gbk)\n"
    assert snapshot(gbk) == before


def test_jsonl_lines_and_bad_lines(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "ok", "text": CLEAN.read_text("utf-8")}, ensure_ascii=False),
        json.dumps({"id": "bad", "text": CORRUPTED.read_text("utf-8")}, ensure_ascii=False),
    ]
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    result = invoke("check", str(corpus))
    assert result.exit_code == 1 and result.stdout.startswith(f"{corpus}: ") and "(repair: " in result.stdout

    broken = tmp_path / "broken.jsonl"
    broken.write_text(lines[0] + "\n{not json\n", "utf-8")
    result = invoke("check", str(broken))
    assert result.exit_code == 1  # cannot vouch for a file with an unreadable line
    assert result.stdout == "" and f"{broken}:2: invalid JSON" in result.stderr


def test_directory_is_walked(tmp_path):
    for seed in SEEDS:
        copy(tmp_path, seed)
    result = invoke("check", str(tmp_path))
    assert result.exit_code == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [str(tmp_path / CORRUPTED.name)]


# --- .pre-commit-hooks.yaml --------------------------------------------------------------


def hooks() -> dict[str, dict]:
    yaml = pytest.importorskip("yaml")
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}


def test_hook_file_defines_both_hooks_with_installed_commands():
    defined = hooks()
    assert set(defined) == {"textfix-check", "textfix-repair"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    for hook in defined.values():
        program, command, *_ = shlex.split(hook["entry"])
        assert program in scripts and hook["language"] == "python"
        assert command in main.commands
        assert {"id", "name", "entry", "language"} <= set(hook)


def test_hooks_as_pre_commit_runs_them(tmp_path):
    """pre-commit appends the staged file names to `entry`: check fails, repair fixes, check passes."""
    import re

    defined = hooks()
    seed, clean = copy(tmp_path, CORRUPTED), copy(tmp_path, CLEAN)
    for hook in defined.values():
        assert re.search(hook["files"], seed.name) and re.search(hook["files"], "x.jsonl")
        assert not re.search(hook["files"], "README.md")

    def run(hook_id: str):
        return invoke(*shlex.split(defined[hook_id]["entry"])[1:], str(seed), str(clean))

    before = seed.read_bytes()
    assert run("textfix-check").exit_code == 1 and seed.read_bytes() == before
    assert run("textfix-repair").exit_code == 0
    assert seed.read_bytes() != before
    assert clean.read_bytes() == CLEAN.read_bytes()
    result = run("textfix-check")
    assert result.exit_code == 0 and result.stdout == ""
