"""ftfy's own test cases (tests/test_cases.json of the ftfy 6.3.1 sdist) against ftfy and textfix.repair.

    .venv/bin/python benchmarks/ftfy_cases.py

The sdist is downloaded with pip into benchmarks/data/ (gitignored) if missing. Each
case is marked `expect: pass|fail` by ftfy. ftfy's own test (test_examples_in_json.py)
counts a "pass" case as passing when fix_text(original) == fixed, fix_encoding(original)
== fixed-encoding (default: fixed), and fix_text of the case with one more layer of
UTF-8-as-latin-1 still gives fixed; its "fail" cases are strict xfails of the
fix_encoding check. textfix.repair repairs encodings only (no quote uncurling, width or
NFC folding), so it is judged on the encoding target: repair(original) ==
fixed-encoding, and the same after the extra layer. Writes benchmarks/results/ftfy_cases.json.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import ftfy

import textfix

sys.path.insert(0, str(Path(__file__).parent))
from repair_quality import Guarded  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "ftfy-sdist"
FTFY_VERSION = "6.3.1"
CASES = DATA / f"ftfy-{FTFY_VERSION}" / "tests" / "test_cases.json"


def load_cases() -> list[dict]:
    if not CASES.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"ftfy=={FTFY_VERSION}", "-d", str(DATA)], check=True)
        with tarfile.open(DATA / f"ftfy-{FTFY_VERSION}.tar.gz") as tar:
            tar.extract(f"ftfy-{FTFY_VERSION}/tests/test_cases.json", DATA, filter="data")
    return json.loads(CASES.read_text("utf-8"))


def extra_layer(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def ftfy_passes(case: dict) -> bool:
    """ftfy's own criterion for the case (the three checks of test_json_example)."""
    original, fixed = case["original"], case["fixed"]
    return (ftfy.fix_text(original) == fixed
            and ftfy.fix_encoding(original) == case.get("fixed-encoding", fixed)
            and ftfy.fix_text(extra_layer(original)) == fixed)


def ftfy_encoding_passes(case: dict) -> bool:
    return ftfy.fix_encoding(case["original"]) == case.get("fixed-encoding", case["fixed"])


REPAIR = Guarded(textfix.repair)


def repair_passes(case: dict) -> tuple[bool, bool]:
    """(encoding target met, encoding target met with one more mojibake layer)."""
    target = case.get("fixed-encoding", case["fixed"])
    return REPAIR(case["original"]) == target, REPAIR(extra_layer(case["original"])) == target


def main() -> None:
    start = time.perf_counter()
    cases = load_cases()
    rows = []
    for case in cases:
        direct, layered = repair_passes(case)
        rows.append({"label": case["label"], "expect": case["expect"], "ftfy": ftfy_passes(case),
                     "ftfy_encoding": ftfy_encoding_passes(case), "repair": direct, "repair_extra_layer": layered})
    expected_pass = [r for r in rows if r["expect"] == "pass"]
    expected_fail = [r for r in rows if r["expect"] == "fail"]
    summary = {
        "cases": len(rows),
        "marked_pass": len(expected_pass),
        "marked_fail": len(expected_fail),
        "ftfy_passes": sum(r["ftfy"] for r in rows),
        "ftfy_encoding_passes": sum(r["ftfy_encoding"] for r in rows),
        "repair_passes": sum(r["repair"] for r in rows),
        "repair_passes_extra_layer": sum(r["repair_extra_layer"] for r in rows),
        "repair_passes_of_ftfy_passes": sum(r["repair"] for r in rows if r["ftfy"]),
        "ftfy_passes_repair_misses": [r["label"] for r in rows if r["ftfy"] and not r["repair"]],
        "ftfy_failures_repair_fixes": [r["label"] for r in expected_fail if r["repair"]],
        "ftfy_failures": [r["label"] for r in expected_fail],
        "repair_errors": REPAIR.report(),
    }
    result = {"command": "python benchmarks/ftfy_cases.py", "date": time.strftime("%Y-%m-%d"),
              "ftfy_version": ftfy.__version__, "summary": summary, "cases": rows,
              "seconds": round(time.perf_counter() - start, 2),
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    out = ROOT / "benchmarks" / "results" / "ftfy_cases.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")

    print(f"| ftfy {ftfy.__version__} test cases | count |\n|---|---|")
    for key in ("cases", "marked_pass", "marked_fail", "ftfy_passes", "ftfy_encoding_passes", "repair_passes",
                "repair_passes_extra_layer", "repair_passes_of_ftfy_passes"):
        print(f"| {key} | {summary[key]} |")
    print(f"\nftfy's known failures fixed by textfix.repair: {len(summary['ftfy_failures_repair_fixes'])} of "
          f"{summary['marked_fail']}: {summary['ftfy_failures_repair_fixes']}")
    print(f"cases ftfy passes that repair misses ({len(summary['ftfy_passes_repair_misses'])}): "
          f"{summary['ftfy_passes_repair_misses'][:10]}{' ...' if len(summary['ftfy_passes_repair_misses']) > 10 else ''}")
    if REPAIR.errors:
        print(f"repair raised {REPAIR.errors} times (counted as misses): {REPAIR.examples}")
    print(f"{result['seconds']} s, peak RSS {result['peak_rss_mb']:.0f} MB -> {out}")


if __name__ == "__main__":
    main()
