"""Repair speed: MB/s of textfix.repair on a clean and on a 5%-corrupted corpus, against the
bare detector regex scan, ftfy.fix_text and a plain read, with peak RSS per method.

    .venv/bin/python benchmarks/repair_speed.py [--mb 100] [--max-seconds 90]

The corpora (web-ish documents from benchmarks/sources.py, all five languages; in the
corrupted one 5% of documents carry one mechanism of textfix.corrupt) are written once
to benchmarks/data/repair_speed/. Each method runs in its own fresh interpreter, one
after the other, so its peak RSS is its own; a method that would run past
--max-seconds stops there and its rate is taken over what it processed.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "repair_speed"
SEPARATOR = "\x1e"  # record separator: never inside the documents
LANG_SHARE = {"zh-Hans": 0.3, "zh-Hant": 0.2, "ja": 0.2, "ko": 0.1, "en": 0.2}
UNIQUE_MB = 20  # distinct documents; the corpus repeats them up to --mb
METHODS = ("read", "detector", "repair", "ftfy")

# Stand-in for the engine's gate if it exposes none: characters mojibake produces.
STAND_IN_DETECTOR = (
    r"[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    r"|[\ue000-\uf8ff\ufffd]|(?<=[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)"
)


def build_corpora(megabytes: float) -> dict[str, Path]:
    paths = {"clean": DATA / f"clean-{megabytes:g}mb.txt", "corrupt5": DATA / f"corrupt5-{megabytes:g}mb.txt"}
    if all(p.exists() for p in paths.values()):
        return paths
    import sources

    from textfix import corrupt

    DATA.mkdir(parents=True, exist_ok=True)
    docs: list[tuple[str, str]] = []
    for lang, share in LANG_SHARE.items():
        budget, seed = min(UNIQUE_MB, megabytes) * share * 1e6, 0
        while budget > 0:
            for doc in sources.mixed(lang, 200, seed=seed):
                docs.append((lang, doc))
                budget -= len(doc.encode("utf-8"))
                if budget <= 0:
                    break
            seed += 1
    rng = random.Random(0)
    rng.shuffle(docs)
    damaged = []
    for i, (lang, doc) in enumerate(docs):
        if rng.random() < 0.05:
            table = corrupt.mechanisms(lang) if lang != "en" else {"utf8-as-cp1252": lambda t, s: corrupt.utf8_as(t, "cp1252", "c1")}
            name = rng.choice(sorted(table))
            try:
                doc = table[name](doc, i).text
            except UnicodeEncodeError:  # not encodable in that legacy charset: the universal one
                doc = corrupt.utf8_as(doc, "cp1252", "c1").text
        damaged.append(doc)
    for key, texts in (("clean", [d for _, d in docs]), ("corrupt5", damaged)):
        unique = SEPARATOR.join(texts)
        repeats = max(1, round(megabytes / (len(unique.encode("utf-8")) / 1e6)))
        paths[key].write_text(SEPARATOR.join([unique] * repeats), "utf-8")
    return paths


def worker(method: str, path: Path, max_seconds: float) -> dict:
    """Runs one method over the corpus in this process and returns its numbers."""
    start = time.perf_counter()
    docs = path.read_text("utf-8").split(SEPARATOR)
    read_seconds = time.perf_counter() - start
    if method == "read":
        return {"mb": path.stat().st_size / 1e6, "seconds": read_seconds, "docs": len(docs), "changed": 0}
    fn, detector = _method(method)
    changed, done_bytes, done = 0, 0, 0
    slowest = (0.0, "")
    start = time.perf_counter()
    for doc in docs:
        doc_start = time.perf_counter()
        out = fn(doc)
        slowest = max(slowest, (time.perf_counter() - doc_start, doc[:80]))
        changed += out is True if detector else out != doc  # the detector flags, the others rewrite
        done_bytes += len(doc.encode("utf-8"))
        done += 1
        if time.perf_counter() - start > max_seconds:
            break
    seconds = time.perf_counter() - start
    errors = fn.report() if hasattr(fn, "report") else None
    return {"mb": done_bytes / 1e6, "seconds": seconds, "docs": done, "changed": changed, "detector": detector,
            "errors": errors,
            "stopped_early": done < len(docs), "slowest_doc_seconds": round(slowest[0], 3),
            "slowest_doc_start": slowest[1]}


def _method(method: str):
    if method == "repair":
        import textfix
        from repair_quality import Guarded

        textfix.repair("warm-up: load the model")
        return Guarded(textfix.repair, timeout=60), None
    if method == "ftfy":
        import ftfy

        return ftfy.fix_text, None
    try:  # the engine's own gate, with its model: what the repair stage runs first
        from textfix.repair.detect import is_suspect
        from textfix.repair.model import load_model

        model = load_model()
        return (lambda text: is_suspect(text, model)), "textfix.repair.detect.is_suspect"
    except ImportError:
        import regex

        pattern = regex.compile(STAND_IN_DETECTOR)
        return (lambda text: pattern.search(text) is not None), "stand-in regex"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--max-seconds", type=float, default=90.0, help="per method and corpus")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = worker(args.worker, args.corpus, args.max_seconds)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    if args.build:
        build_corpora(args.mb)
        return
    # built in a child too: this process stays small, so no child inherits a large peak RSS
    subprocess.run([sys.executable, __file__, "--build", "--mb", str(args.mb)], check=True)
    paths = build_corpora(args.mb)
    results = {}
    for corpus, path in paths.items():
        for method in METHODS:
            proc = subprocess.run([sys.executable, __file__, "--worker", method, "--corpus", str(path),
                                   "--max-seconds", str(args.max_seconds)], capture_output=True, text=True)
            if proc.returncode:
                results[f"{corpus}/{method}"] = {"error": proc.stderr.strip().splitlines()[-1:]}
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            r["mb_per_s"] = r["mb"] / r["seconds"] if r["seconds"] else float("inf")
            results[f"{corpus}/{method}"] = r
    report = {"command": "python benchmarks/repair_speed.py " + " ".join(sys.argv[1:]),
              "date": time.strftime("%Y-%m-%d"), "machine": "2 cores (shared)",
              "corpus_mb": {k: p.stat().st_size / 1e6 for k, p in paths.items()}, "results": results,
              "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    for corpus in paths:
        repair, detector = results.get(f"{corpus}/repair", {}), results.get(f"{corpus}/detector", {})
        if "mb_per_s" in repair and "mb_per_s" in detector:
            report[f"{corpus}_repair_vs_detector_slowdown"] = detector["mb_per_s"] / repair["mb_per_s"]
    out = ROOT / "benchmarks" / "results" / "repair_speed.json"
    out.write_text(json.dumps(report, indent=1) + "\n", "utf-8")

    print("| corpus | method | MB | seconds | MB/s | docs changed (detector: flagged) | slowest doc s | peak RSS MB |\n"
          "|---|---|---|---|---|---|---|---|")
    for key, r in results.items():
        corpus, method = key.split("/")
        if "error" in r:
            print(f"| {corpus} | {method} | error: {r['error']} |")
            continue
        note = " (stopped at time limit)" if r.get("stopped_early") else ""
        print(f"| {corpus} | {method} | {r['mb']:.1f}{note} | {r['seconds']:.1f} | {r['mb_per_s']:.2f} | "
              f"{r['changed']} of {r['docs']} | {r.get('slowest_doc_seconds', 0):.2f} | {r['peak_rss_mb']:.0f} |")
    for corpus in paths:
        key = f"{corpus}_repair_vs_detector_slowdown"
        if key in report:
            detector = results[f"{corpus}/detector"]["detector"]
            print(f"{corpus}: repair is {report[key]:.2f}x slower than the bare detector scan ({detector})")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
