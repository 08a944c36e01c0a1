"""Repair quality: seed 001 vs gold, clean seeds untouched, synthetic corruption per
mechanism x language x domain, false changes on clean multilingual text (as it is, and
NFKC-folded).

    .venv/bin/python benchmarks/repair_quality.py [--samples 120] [--clean-mb 10] [--timeout 2]

Text comes from benchmarks/sources.py, held-out half only (no shipped model saw it).
Baselines measured in the same run: `naive` (the inverse of the mechanism with the
encodings known: plain `text.encode(B).decode(A, "replace")`, annotation regex for
pinyin, nothing for lost bytes) and `ftfy.fix_text`. Where bytes were lost, `marked CER` is
the share of characters that lost one: the CER of a repair that marks each of them and
restores the rest (see chars_hit). Writes
benchmarks/results/repair_quality.json and prints markdown tables.
"""
from __future__ import annotations

import argparse
import difflib
import json
import platform
import re
import resource
import signal
import sys
import time
import traceback
import unicodedata
from collections import defaultdict
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-1252 for the naive baseline)
from rapidfuzz.distance import Levenshtein

import textfix
from textfix import corrupt as C

sys.path.insert(0, str(Path(__file__).parent))
import sources  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED_001 = "001_627f8ad51e47a4a5"
CLEAN_SEEDS = ["000_b6597fa7ecb8248b", "002_cabd379895d3200d", "003_bc6feda196b70a46", "004_2f222452faba4465"]
LANGS = ["zh-Hans", "zh-Hant", "ja", "ko"]
MAX_TIMEOUTS = 5  # per language x domain x mechanism: then the rest is skipped and reported
MAX_CHARS = 300  # long man-page paragraphs would dominate the time without adding cases
PINYIN_NOTE = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]+\)")


class Guarded:
    """Calls `fn`; an exception, or a call running past `timeout` seconds, counts as an
    error and leaves the text as it was, so an engine under construction still gets
    measured in bounded time (errors are reported, not hidden)."""

    def __init__(self, fn, timeout: float = 20.0) -> None:
        self.fn, self.timeout, self.errors, self.timeouts, self.examples = fn, timeout, 0, 0, []

    @staticmethod
    def _expire(signum, frame):
        raise TimeoutError("call ran past the benchmark's time limit")

    def __call__(self, text: str) -> str:
        previous = signal.signal(signal.SIGALRM, self._expire)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            return self.fn(text)
        except Exception as exc:  # noqa: BLE001  (any engine bug is a measured failure)
            self.errors += 1
            self.timeouts += isinstance(exc, TimeoutError)
            if len(self.examples) < 3:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                self.examples.append(f"{type(exc).__name__}: {exc} at {Path(frame.filename).name}:{frame.lineno} "
                                     f"on {text[:60]!r}")
            return text
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def report(self) -> dict:
        return {"errors": self.errors, "timeouts": self.timeouts, "timeout_seconds": self.timeout,
                "examples": self.examples}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def ftfy_fix(text: str) -> str:
    return ftfy.fix_text(text)


def strip_annotations_then_ftfy(text: str) -> str:
    """The issue's 'naive best' for seed 001: drop `(pinyin)` after hanzi, then ftfy
    (keeping curly quotes, which Chinese text uses)."""
    return ftfy.fix_text(PINYIN_NOTE.sub("", text), uncurl_quotes=False)


# --- (a) seed 001 -------------------------------------------------------------------------

def seed_001(methods: dict) -> dict:
    seed = (FIXTURES / f"{SEED_001}.txt").read_text("utf-8")
    gold = (FIXTURES / "gold" / f"{SEED_001}.repaired.txt").read_text("utf-8").split("\n")
    out = {}
    for name, fix in methods.items():
        lines = fix(seed).split("\n")
        if len(lines) != len(gold):  # a repair must keep the line structure
            lines = (lines + [""] * len(gold))[: len(gold)]
        wrong = [(i, g, r) for i, (g, r) in enumerate(zip(gold, lines)) if nfkc(g) != nfkc(r)]
        out[name] = {
            "lines": len(gold), "wrong": len(wrong), "identical_share": 1 - len(wrong) / len(gold),
            "examples": [{"line": i + 1, "gold": g[:160], "got": r[:160]} for i, g, r in wrong[:5]],
        }
    return out


# --- (b) clean seeds ------------------------------------------------------------------------

def clean_seeds(methods: dict) -> dict:
    out = {}
    for name, fix in methods.items():
        out[name] = {}
        for seed in CLEAN_SEEDS:
            text = (FIXTURES / f"{seed}.txt").read_text("utf-8")
            fixed = fix(text)
            out[name][seed] = {"identical": fixed == text, "first_diff": _first_diff(text, fixed)}
    return out


def _first_diff(a: str, b: str) -> str | None:
    if a == b:
        return None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            return f"{a[max(0, i1 - 10):i2 + 10]!r} -> {b[max(0, j1 - 10):j2 + 10]!r}"
    return None


# --- (c) synthetic ----------------------------------------------------------------------------

def naive_inverse(mechanism: str, damaged: str) -> str:
    """Undo the mechanism knowing its encodings, with the plainest codec calls."""
    def undo(text: str, written: str, read: str) -> str:
        read = "sloppy-windows-1252" if read == "cp1252" else read
        return text.encode(read, "replace").decode(written, "replace")

    if mechanism == "pinyin-annotation":
        return PINYIN_NOTE.sub("", damaged)
    if mechanism.startswith(("lost-bytes", "misaligned")):
        return PINYIN_NOTE.sub("", damaged)  # nothing to re-encode: the bytes were read right
    if mechanism.startswith("double-"):
        return undo(undo(damaged, "utf-8", "cp1252"), "utf-8", "cp1252")
    written, read = mechanism.split(",")[0].split("-as-")
    written = {"utf8": "utf-8"}.get(written, written)
    return undo(damaged, written, read)


def chars_hit(damaged: C.Corruption) -> int | None:
    """How many characters of the original lost a byte: replaced (lost-bytes mechanisms) or
    rejected by the wrong decoder (a misreading with decode errors). A repair that restores
    everything else and marks each of these with one U+FFFD scores `marked CER`; below it,
    lost bytes were guessed from context (with few candidates where a double-byte character
    kept its other byte, with thousands where a UTF-8 one lost its value whole)."""
    details = damaged.details
    if damaged.mechanism.startswith("lost-bytes"):
        hit_bytes, encoding = set(details["positions"]), details["encoded"]
    elif "decoded" in details and details.get("errors") != "c1":
        encoding = details["encoded"]
        _, spans = C.decode_rejecting(damaged.original.encode(encoding), details["decoded"], details["errors"])
        hit_bytes = {i for start, end in spans for i in range(start, end)}
    elif damaged.mechanism.startswith("misaligned"):
        encoding = details["encoded"]
        hit_bytes = _misaligned_hits(damaged.original, encoding, details["lost_positions"])
    else:
        return None
    hit, offset = 0, 0
    for char in damaged.original:
        width = len(char.encode(encoding))
        hit += any(i in hit_bytes for i in range(offset, offset + width))
        offset += width
    return hit


def _misaligned_hits(original: str, encoding: str, lost: list[int]) -> set[int]:
    """Bytes of `original` the misaligned chain lost: replaced by `?` or swallowed by the
    decoder (with an invalid trail); bytes of the inserted annotations do not count."""
    data = original.encode(encoding)
    stream, inserts = C._annotate_bytes(data, encoding, C.SEED_CONVERTER_CHARS)
    origin: list[int | None] = []  # byte of the stream -> byte of `original` (None: annotation)
    done = 0
    for pos, note in inserts:
        origin.extend(range(done, pos))
        origin.extend([None] * len(note.encode(encoding, "replace")))
        done = pos
    origin.extend(range(done, len(data)))
    damaged = bytearray(stream)
    for i in lost:
        damaged[i] = 0x3F
    _, spans = C.decode_rejecting(bytes(damaged), encoding, "swallow")
    hit = set(lost) | {i for start, end in spans for i in range(start, end)}
    return {origin[i] for i in hit} - {None}


def _usable(text: str, lang: str) -> bool:
    needs = [C.NATIVE_ENCODING[lang]] + (["gbk"] if lang.startswith("zh") else [])
    return all(C.encodable(text, enc) for enc in needs)


def synthetic(samples: int, repair) -> list[dict]:
    rows = []
    for lang in LANGS:
        table = C.mechanisms(lang)
        for domain in sources.domains(lang):
            texts = [p[:MAX_CHARS] for p in sources.paragraphs(lang, seed=1, domain=domain, held_out_only=True) if _usable(p[:MAX_CHARS], lang)]
            texts = texts[:-(-samples // len(sources.domains(lang)))]  # `samples` per language, split over domains
            for name, corrupt in table.items():
                stats = defaultdict(float)
                timeouts_before = repair.timeouts
                for i, text in enumerate(texts):
                    if repair.timeouts - timeouts_before >= MAX_TIMEOUTS:
                        stats["skipped_after_timeouts"] += 1
                        continue
                    damaged = corrupt(text, i)
                    expected = damaged.expected
                    fold = nfkc if damaged.details.get("fold") else (lambda s: s)
                    if fold(damaged.text) == fold(expected):  # e.g. no annotated character in it
                        stats["unchanged"] += 1
                        continue
                    stats["n"] += 1
                    stats["lossless"] += damaged.lossless
                    stats["chars"] += len(expected)
                    hit = chars_hit(damaged)
                    stats["marked_edits"] += hit or 0
                    stats["markable"] += hit is not None
                    started = time.perf_counter()
                    repaired = repair(damaged.text)
                    stats["repair_seconds"] += time.perf_counter() - started
                    outputs = {"corrupted": damaged.text, "repair": repaired,
                               "naive": naive_inverse(name, damaged.text), "ftfy": ftfy_fix(damaged.text)}
                    for method, out in outputs.items():
                        stats[f"{method}_exact"] += fold(out) == fold(expected)
                        stats[f"{method}_edits"] += Levenshtein.distance(fold(out), fold(expected))
                n = stats["n"] or 1
                row = {"lang": lang, "domain": domain, "mechanism": name, "samples": int(stats["n"]),
                       "unchanged_by_corruption": int(stats["unchanged"]),
                       "skipped_after_timeouts": int(stats["skipped_after_timeouts"]), "lossless_share": stats["lossless"] / n,
                       "chars": int(stats["chars"]), "repair_seconds": round(stats["repair_seconds"], 3),
                       "marked_edits": int(stats["marked_edits"]) if stats["markable"] == stats["n"] else None}
                for method in ("corrupted", "repair", "naive", "ftfy"):
                    row[f"{method}_exact"] = stats[f"{method}_exact"] / n
                    row[f"{method}_edits"] = int(stats[f"{method}_edits"])
                rows.append(row)
            print(f"synthetic {lang}/{domain}: {len(texts)} paragraphs x {len(table)} mechanisms", file=sys.stderr)
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    """Per language x mechanism over domains: exact-recovery rate and character error rate."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["lang"], row["mechanism"])].append(row)
    out = []
    for (lang, mechanism), group in groups.items():
        n = sum(r["samples"] for r in group)
        chars = sum(r["chars"] for r in group) or 1
        summary = {"lang": lang, "mechanism": mechanism, "samples": n,
                   "skipped_after_timeouts": sum(r["skipped_after_timeouts"] for r in group),
                   "repair_ms_per_sample": 1000 * sum(r["repair_seconds"] for r in group) / (n or 1),
                   "lossless_share": sum(r["lossless_share"] * r["samples"] for r in group) / (n or 1)}
        for method in ("corrupted", "repair", "naive", "ftfy"):
            summary[f"{method}_exact"] = sum(r[f"{method}_exact"] * r["samples"] for r in group) / (n or 1)
            summary[f"{method}_cer"] = sum(r[f"{method}_edits"] for r in group) / chars
        marked = [r["marked_edits"] for r in group]
        summary["marked_cer"] = None if None in marked else sum(marked) / chars
        out.append(summary)
    return out


# --- (d) false changes --------------------------------------------------------------------------

def clean_corpus(megabytes: float) -> list[tuple[str, str]]:
    share = {"zh-Hans": 0.25, "zh-Hant": 0.25, "ja": 0.2, "ko": 0.12, "en": 0.18}
    docs = []
    for lang, part in share.items():
        budget, batch, seed = megabytes * part * 1e6, [], 0
        while budget > 0:
            batch = sources.mixed(lang, 200, seed=seed, held_out_only=True)
            for doc in batch:
                if budget <= 0:
                    break
                docs.append((lang, doc))
                budget -= len(doc.encode("utf-8"))
            seed += 1
    return docs


def false_changes(docs: list[tuple[str, str]], methods: dict) -> dict:
    out = {}
    for name, fix in methods.items():
        changed, examples, per_lang = 0, [], defaultdict(int)
        start = time.perf_counter()
        for lang, doc in docs:
            fixed = fix(doc)
            if fixed != doc:
                changed += 1
                per_lang[lang] += 1
                if len(examples) < 5:
                    example = {"lang": lang, "diff": _first_diff(doc, fixed)}
                    if name == "repair":
                        explained = Guarded(textfix.explain)(doc)
                        example["explain"] = [f"{c.reason}: {c.before!r} -> {c.after!r} ({c.confidence:.2f})"
                                              for c in explained[:3]] if isinstance(explained, list) else []
                    examples.append(example)
        out[name] = {"docs": len(docs), "changed": changed, "by_lang": dict(per_lang), "examples": examples,
                     "seconds": round(time.perf_counter() - start, 2)}
    return out


# --- report -----------------------------------------------------------------------------------------

def markdown(result: dict) -> str:
    lines = ["### Seed 001 vs gold (lines wrong after NFKC, of %d)" % result["seed_001"]["repair"]["lines"], "",
             "| method | lines wrong | identical |", "|---|---|---|"]
    for name, r in result["seed_001"].items():
        lines.append(f"| {name} | {r['wrong']} | {r['identical_share']:.1%} |")
    lines += ["", "### Clean seeds byte-identical", "", "| method | " + " | ".join(s[:3] for s in CLEAN_SEEDS) + " |",
              "|---|" + "---|" * len(CLEAN_SEEDS)]
    for name, r in result["clean_seeds"].items():
        lines.append(f"| {name} | " + " | ".join("yes" if r[s]["identical"] else "NO" for s in CLEAN_SEEDS) + " |")
    lines += ["", "### Synthetic: exact recovery / character error rate", "",
              "| lang | mechanism | n | lossless | repair exact | repair CER | marked CER | naive exact | naive CER | ftfy exact | ftfy CER | corrupted CER | repair ms |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in result["synthetic_summary"]:
        lines.append(f"| {s['lang']} | {s['mechanism']} | {s['samples']} | {s['lossless_share']:.0%} | "
                     f"{s['repair_exact']:.1%} | {s['repair_cer']:.3f} | {'' if s['marked_cer'] is None else format(s['marked_cer'], '.3f')} | {s['naive_exact']:.1%} | {s['naive_cer']:.3f} | "
                     f"{s['ftfy_exact']:.1%} | {s['ftfy_cer']:.3f} | {s['corrupted_cer']:.3f} | {s['repair_ms_per_sample']:.0f} |")
    fc = result["false_changes"]
    lines += ["", f"### False changes on {result['clean_mb']:.1f} MB of clean text ({fc['repair']['docs']} docs)", "",
              "| method | docs changed | seconds |", "|---|---|---|"]
    for name, r in fc.items():
        lines.append(f"| {name} | {r['changed']} | {r['seconds']} |")
    for name, r in result["false_changes_nfkc"].items():
        lines.append(f"| {name}, text NFKC-folded | {r['changed']} | {r['seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=120, help="paragraphs per language x mechanism (split over domains)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per repair call before it counts as failed")
    parser.add_argument("--clean-mb", type=float, default=10.0, help="size of the clean false-change corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "repair_quality.json")
    args = parser.parse_args()

    start = time.perf_counter()
    repair = Guarded(textfix.repair, timeout=args.timeout)
    whole_page_repair = Guarded(textfix.repair, timeout=120)  # seed pages are long
    seed_methods = {"repair": whole_page_repair, "identity": lambda t: t, "ftfy": ftfy_fix,
                    "strip+ftfy": strip_annotations_then_ftfy}
    result = {
        "command": "python benchmarks/repair_quality.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, 2 cores",
        "seed_001": seed_001(seed_methods),
        "clean_seeds": clean_seeds({"repair": whole_page_repair, "ftfy": ftfy_fix}),
    }
    rows = synthetic(args.samples, repair)
    result["synthetic_summary"] = summarise(rows)
    result["synthetic"] = rows
    docs = clean_corpus(args.clean_mb)
    result["clean_mb"] = sum(len(d.encode("utf-8")) for _, d in docs) / 1e6
    result["false_changes"] = false_changes(docs, {"repair": repair, "ftfy": ftfy_fix})
    # the same text NFKC-folded, as many web pipelines store it (`？` becomes `?` after CJK)
    folded = [(lang, unicodedata.normalize("NFKC", doc)) for lang, doc in docs]
    result["false_changes_nfkc"] = false_changes(folded, {"repair": repair})
    result["repair_errors"] = {"seed_pages": whole_page_repair.report(), "synthetic_and_clean": repair.report()}
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(markdown(result))
    if repair.errors:
        skipped = sum(s["skipped_after_timeouts"] for s in result["synthetic_summary"])
        print(f"\nrepair failed {repair.errors} times ({repair.timeouts} over {args.timeout:g} s; text left as it was, "
              f"{skipped} samples skipped after {MAX_TIMEOUTS} timeouts in one language x domain x mechanism): "
              f"{repair.examples}")
    if whole_page_repair.errors:
        print(f"repair failed on seed pages: {whole_page_repair.examples}")
    print(f"\n{result['seconds']} s, peak RSS {result['peak_rss_mb']:.0f} MB -> {args.out}")


if __name__ == "__main__":
    main()
