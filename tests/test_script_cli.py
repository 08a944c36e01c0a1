"""`textfix convert` and `textfix clean --script/--normalize`."""
import json

from click.testing import CliRunner

from textfix.cli import main


def test_convert_command_converts_files_and_leaves_japanese(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"text": "这个软件被发明了"}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "東京へ行きました"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["convert", "--config", "s2twp", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts == ["這個軟體被發明了", "東京へ行きました"]


def test_convert_command_refuses_unknown_config(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("中文\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", "--config", "s2x", str(src), "-o", "-"])
    assert result.exit_code != 0 and "unknown OpenCC config" in result.output


def test_clean_runs_normalize_then_script_last(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("前头发生了什么,之后\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    args = ["clean", "--normalize", "punctuation=zh-TW", "--script", "zh-TW", str(src), "-o", str(out), "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "前頭發生了什麼，之後\n"


def test_clean_refuses_unknown_normalisation(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("中文\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", "--normalize", "nfd", str(src), "-o", "-"])
    assert result.exit_code != 0 and "unknown normalisation" in result.output
