"""Decoding and I/O throughput, peak memory, and short-string detection accuracy.

Generates a >= 200 MB corpus under benchmarks/data/decode/ (UTF-8, GBK, Big5 and
Shift-JIS .txt pages plus UTF-8 JSONL, from benchmarks/sources.py paragraphs), then
measures, each in a fresh subprocess so peak RSS is its own:
  plain      read + write the bytes (the floor any tool pays)
  cn         charset-normalizer alone: from_bytes(data).best() and str() per .txt file
  textfix    textfix.decode per .txt file
  engine-jN  read -> decode -> engine (N processes) -> atomic write, empty pipeline, whole corpus
  cli-repair-gbk-jN  `textfix repair DIR -o OUT -q -j N` on the 30 MB GBK part, with the
             repair stage as it is today
  line20mb   `textfix repair` on one 20 MB single-line JSONL and one 20 MB .txt (peak RSS <= 1.5 GB)
and the short-string accuracy table (decode_accuracy.py).
Run: bash benchmarks/setup_sources.sh && .venv/bin/python benchmarks/decode_bench.py
Writes benchmarks/results/decode_bench.json.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "decode"
OUT = HERE / "out" / "decode"
RESULTS = HERE / "results" / "decode_bench.json"
sys.path.insert(0, str(HERE))

# (subdirectory, source language, encoding, megabytes, kind)
PLAN = [
    ("utf8", "zh-Hans", "utf-8", 50, "txt"),
    ("gbk", "zh-Hans", "gbk", 30, "txt"),
    ("big5", "zh-Hant", "big5", 30, "txt"),
    ("sjis", "ja", "shift_jis", 30, "txt"),
    ("jsonl", "zh-Hans", "utf-8", 65, "jsonl"),
]
PAGE_BYTES = 200_000
JSONL_FILE_BYTES = 16_000_000
LIMIT_RSS_MB = 1536


def _pages(lang: str, encoding: str, target: int, seed: int):
    import sources

    paragraphs = [p for p in sources.paragraphs(lang) if _encodable(p, encoding)]
    rng = random.Random(seed)
    while True:
        parts, size = [], 0
        while size < target:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph.encode(encoding))
        yield "\n".join(parts) + "\n"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def generate() -> int:
    marker = DATA / ".complete"
    if marker.exists():
        return sum(p.stat().st_size for p in _corpus_files())
    shutil.rmtree(DATA, ignore_errors=True)
    total = 0
    for index, (sub, lang, encoding, megabytes, kind) in enumerate(PLAN):
        folder = DATA / sub
        folder.mkdir(parents=True)
        written = 0
        if kind == "txt":
            pages = _pages(lang, encoding, PAGE_BYTES, index)
            number = 0
            while written < megabytes * 1_000_000:
                data = next(pages).encode(encoding)
                (folder / f"{sub}-{number:04d}.txt").write_bytes(data)
                written += len(data)
                number += 1
        else:
            docs = _pages(lang, encoding, 4_000, index)
            number = 0
            while written < megabytes * 1_000_000:
                with open(folder / f"part-{number:03d}.jsonl", "w", encoding="utf-8") as handle:
                    size = 0
                    while size < JSONL_FILE_BYTES:
                        line = json.dumps({"id": f"{number}-{size}", "url": "https://example.com", "text": next(docs)}, ensure_ascii=False) + "\n"
                        handle.write(line)
                        size += len(line.encode("utf-8"))
                written += size
                number += 1
        total += written
    big = "长行文本 0123456789 " * 850_000  # 20.4 MB as UTF-8
    (DATA / "line20mb").mkdir()
    (DATA / "line20mb" / "line.jsonl").write_text(json.dumps({"id": 1, "text": big}, ensure_ascii=False) + "\n", encoding="utf-8")
    (DATA / "line20mb" / "line.txt").write_text(big, encoding="utf-8")
    marker.touch()
    return total


def _corpus_files() -> list[Path]:
    return sorted(p for sub, *_ in PLAN for p in (DATA / sub).iterdir())


# --- measurements, each run by `--only NAME` in its own process ------------------


def measure_plain() -> dict:
    target = OUT / "plain"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    size = 0
    for path in _corpus_files():
        data = path.read_bytes()
        (target / path.name).write_bytes(data)
        size += len(data)
    return {"bytes": size}


def measure_cn() -> dict:
    from charset_normalizer import from_bytes

    size, wrong = 0, 0
    for path in _corpus_files():
        if path.suffix != ".txt":
            continue  # JSONL is UTF-8 by definition: nothing to detect
        data = path.read_bytes()
        best = from_bytes(data).best()
        wrong += best is None or str(best) != _truth(path, data)
        size += len(data)
    return {"bytes": size, "files_decoded_wrong": wrong}


def measure_textfix() -> dict:
    import textfix

    size, wrong = 0, 0
    for path in _corpus_files():
        if path.suffix != ".txt":
            continue
        data = path.read_bytes()
        wrong += textfix.decode(data).text != _truth(path, data)
        size += len(data)
    return {"bytes": size, "files_decoded_wrong": wrong}


def _truth(path: Path, data: bytes) -> str:
    encoding = {sub: enc for sub, _, enc, _, _ in PLAN}[path.parent.name]
    return data.decode(encoding)


def measure_engine(jobs: int) -> dict:
    """The runner with an empty pipeline: reading, decoding, engine and writing, no stage."""
    from textfix import Pipeline
    from textfix.engines import LocalEngine
    from textfix.io import plan_tasks
    from textfix.runner import run_tasks

    target = OUT / f"engine-j{jobs}"
    shutil.rmtree(target, ignore_errors=True)
    tasks = plan_tasks([str(DATA / sub) for sub, *_ in PLAN], str(target))
    report = run_tasks(tasks, Pipeline([]), LocalEngine(jobs))
    return {"bytes": sum(Path(t.input).stat().st_size for t in tasks), "documents": report.documents, "errors": report.error_count}


MEASURES = {
    "plain": measure_plain,
    "cn": measure_cn,
    "textfix": measure_textfix,
    "engine-j1": lambda: measure_engine(1),
    "engine-j2": lambda: measure_engine(2),
}


def run_isolated(args: list[str]) -> dict:
    """Run a command under a fresh wrapper process: seconds, the command's own peak RSS
    (a child forked from this big process would inherit its ru_maxrss), and its last
    stdout line parsed as JSON when it is JSON."""
    wrapper = (
        "import json,resource,subprocess,sys,time;t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,text=True);"
        "print(json.dumps({'rc':p.returncode,'seconds':time.perf_counter()-t,'stdout':p.stdout,"
        "'peak_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    lines = result.pop("stdout").strip().splitlines()
    if lines and lines[-1].startswith("{"):
        result.update(json.loads(lines[-1]))
    result["peak_rss_mb"] = round(result["peak_rss_mb"], 1)
    return result


def measure_in_child(name: str) -> dict:
    result = run_isolated([sys.executable, __file__, "--only", name])
    result["mb_per_s"] = round(result["bytes"] / 1e6 / result["seconds"], 1)
    return result


def cli(args: list[str], input_bytes: int) -> dict:
    script = str(Path(sys.executable).with_name("textfix"))
    shutil.rmtree(OUT / "cli", ignore_errors=True)
    result = run_isolated([script, "repair", *args, "-o", str(OUT / "cli"), "-q"])
    result["mb_per_s"] = round(input_bytes / 1e6 / result["seconds"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=sorted(MEASURES))
    parser.add_argument("--skip-cn", action="store_true", help="skip the (slow) charset-normalizer pass")
    args = parser.parse_args()
    if args.only:
        start = time.perf_counter()
        result = MEASURES[args.only]()
        result["seconds_in_process"] = round(time.perf_counter() - start, 3)
        print(json.dumps(result))
        return

    from decode_accuracy import accuracy_table

    corpus_bytes = generate()
    print(f"corpus: {corpus_bytes / 1e6:.0f} MB in {DATA}", flush=True)
    results: dict = {"corpus_mb": round(corpus_bytes / 1e6, 1), "throughput": {}}
    for name in ("plain", "textfix") + (() if args.skip_cn else ("cn",)) + ("engine-j1", "engine-j2"):
        results["throughput"][name] = measure_in_child(name)
        print(name, results["throughput"][name], flush=True)
    # The full CLI with today's repair stage, on the GBK part only: repair is the slow part.
    subset = DATA / "gbk"
    subset_bytes = sum(p.stat().st_size for p in subset.iterdir())
    for jobs in (1, 2):
        results["throughput"][f"cli-repair-gbk-j{jobs}"] = cli([str(subset), "-j", str(jobs)], subset_bytes)
        print(f"cli-repair-gbk-j{jobs}", results["throughput"][f"cli-repair-gbk-j{jobs}"], flush=True)
    line = cli([str(DATA / "line20mb"), "-j", "1"], sum(p.stat().st_size for p in (DATA / "line20mb").iterdir()))
    line["within_limit"] = line["peak_rss_mb"] <= LIMIT_RSS_MB and line["rc"] == 0
    results["line20mb"] = line
    print("line20mb", line, flush=True)
    results["short_strings"] = accuracy_table(60, (2, 4, 8))
    for row in results["short_strings"]:
        print(row)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
