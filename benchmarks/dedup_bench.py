"""Corpus dedup benchmark: quality on a planted-duplicate corpus, signature speed, memory at scale.

    .venv/bin/python benchmarks/dedup_bench.py                     # quality + speed
    .venv/bin/python benchmarks/dedup_bench.py --scale 100000,1000000   # + peak RSS (minutes)

Quality: 1,500 originals of ~2 KB built from clean zh-Hans paragraphs (benchmarks/sources.py:
Debian reference, fortunes, man pages; never the seeds) + 100 near-duplicates per edit type
(a paragraph dropped, chrome lines added, a few character edits) + 50 re-punctuated exact
copies, each placed after its original. Baselines in the same run: exact-only, and
text-dedup's recipe (shingles = 5-grams of `\\W`-split words, datasketch MinHashLSH at 0.7).
Speed: signatures/s per core (CPU seconds, one thread) for the 1,500 originals: textfix (vectorised shingles +
rensa), rensa and datasketch fed Python character 5-grams, datatrove's MinhashDedupSignature
(in a throwaway venv, DATATROVE_PYTHON, default /tmp/dtvenv/bin/python).
Scale: each size runs in a child process over generated documents; peak RSS is the child's.
Results: benchmarks/results/dedup_bench.json.
"""
from __future__ import annotations

import os

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # per-core numbers: no rensa worker threads

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sources import paragraphs  # noqa: E402

from textfix.dedup.corpus import CorpusIndex, build_clusters  # noqa: E402
from textfix.dedup.exact import fold, tokenize  # noqa: E402
from textfix.dedup.minhash import MinHashParams, band_keys, shingle_hashes, signatures  # noqa: E402

DATA = HERE / "data"
RESULTS = HERE / "results" / "dedup_bench.json"
DOC_BYTES = 2000
EDIT_TYPES = ("dropped paragraph", "chrome lines", "character edits")
CHROME = [
    "首页 > 新闻中心 > 正文",
    "分享到：微信 微博 QQ空间",
    "【打印本页】【关闭窗口】",
    "责任编辑：王晓明",
    "扫一扫，关注我们的公众号",
    "版权所有 © 2024 新华网 京ICP备12345678号",
    "上一篇：下一篇：返回顶部",
    "登录 | 注册 | 设为首页 | 加入收藏",
]


def pool(seed: int = 0) -> list[str]:
    """Prose-like zh-Hans paragraphs (the short UI strings and poetry left out)."""
    paras = [p for d in ("prose", "docs", "tech") for p in paragraphs("zh-Hans", domain=d) if len(p) >= 30]
    random.Random(seed).shuffle(paras)
    return paras


def originals(count: int, paras: list[str]) -> list[list[str]]:
    """Documents as lists of paragraphs, ~2 KB each, no paragraph shared between documents."""
    docs, cursor = [], 0
    for _ in range(count):
        doc: list[str] = []
        while sum(len(p.encode()) for p in doc) < DOC_BYTES or len(doc) < 3:
            doc.append(paras[cursor])
            cursor += 1
        docs.append(doc)
    return docs


def hanzi_positions(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]


def near_duplicate(doc: list[str], kind: str, rng: random.Random) -> str:
    if kind == "dropped paragraph":
        drop = rng.randrange(len(doc))
        return "\n".join(p for i, p in enumerate(doc) if i != drop)
    if kind == "chrome lines":
        lines = rng.sample(CHROME, rng.randint(2, 4))
        split = rng.randint(0, len(lines))
        return "\n".join(lines[:split] + doc + lines[split:])
    chars = list("\n".join(doc))
    for position in sorted(rng.sample(hanzi_positions("".join(chars)), rng.randint(3, 6)), reverse=True):
        action = rng.choice(("replace", "delete", "insert"))
        new = chr(rng.randint(0x4E00, 0x9FA5))
        if action == "replace":
            chars[position] = new
        elif action == "delete":
            del chars[position]
        else:
            chars.insert(position, new)
    return "".join(chars)


def repunctuated(doc: list[str]) -> str:
    return "\n".join(doc).translate(str.maketrans({"，": ",", "。": ". ", "：": ":", "（": "(", "）": ")"}))


def planted_corpus(seed: int = 0) -> tuple[list[str], list[int], list[str]]:
    """Texts in input order, the family (original index) of each, and its kind."""
    rng = random.Random(seed)
    docs = originals(1500, pool(seed))
    texts = ["\n".join(d) for d in docs]
    family = list(range(len(docs)))
    kind = ["original"] * len(docs)
    planted = [(k, i) for k in EDIT_TYPES for i in rng.sample(range(len(docs)), 100)]
    planted += [("exact copy", i) for i in rng.sample(range(len(docs)), 50)]
    for k, i in planted:
        text = repunctuated(docs[i]) if k == "exact copy" else near_duplicate(docs[i], k, rng)
        # A repost comes after its original, anywhere later in the stream.
        at = rng.randint(family.index(i) + 1, len(texts))
        texts.insert(at, text)
        family.insert(at, i)
        kind.insert(at, k)
    return texts, family, kind


def score(root: list[int], family: list[int], kind: list[str]) -> dict:
    removed = [i for i in range(len(root)) if root[i] != i]
    correct = [i for i in removed if family[root[i]] == family[i]]
    by_kind = {}
    for k in (*EDIT_TYPES, "exact copy"):
        members = [i for i in range(len(root)) if kind[i] == k]
        found = [i for i in members if root[i] != i and family[root[i]] == family[i]]
        wrong = [i for i in removed if kind[i] == k and family[root[i]] != family[i]]
        by_kind[k] = {
            "planted": len(members),
            "recall": round(len(found) / len(members), 4),
            "remaining": len(members) - len(found),
            "precision": round(len(found) / max(1, len(found) + len(wrong)), 4),
        }
    families: dict[int, list[int]] = {}
    for i, f in enumerate(family):
        families.setdefault(f, []).append(i)
    lost = sum(all(root[i] != i for i in members) for members in families.values())
    planted_total = sum(v["planted"] for v in by_kind.values())
    return {
        "documents": len(root),
        "removed": len(removed),
        "precision": round(len(correct) / max(1, len(removed)), 4),
        "recall": round(sum(v["planted"] - v["remaining"] for v in by_kind.values()) / planted_total, 4),
        "planted_remaining_share": round(sum(v["remaining"] for v in by_kind.values()) / planted_total, 4),
        "originals_wrongly_removed": sum(1 for i in removed if kind[i] == "original"),
        "clusters_losing_all_members": lost,
        "clusters_losing_all_members_share": round(lost / len(families), 4),
        "by_edit_type": by_kind,
    }


def true_jaccard(a: str, b: str, params: MinHashParams) -> float:
    tokens, token_doc = tokenize([a, b])
    hashes, offsets = shingle_hashes(tokens, token_doc, 2, params.ngram)
    sa, sb = set(hashes[: offsets[1]].tolist()), set(hashes[offsets[1] :].tolist())
    return len(sa & sb) / max(1, len(sa | sb))


def text_dedup_baseline(texts: list[str], threshold: float = 0.7) -> list[int]:
    """text-dedup's recipe: lowercased text split on non-word characters, word 5-grams,
    datasketch MinHash + LSH; first of each candidate set kept."""
    from datasketch import MinHash, MinHashLSH

    split = re.compile(r"\W+", re.UNICODE)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    root = []
    for i, text in enumerate(texts):
        words = [w for w in split.split(text.lower()) if w]
        grams = {" ".join(words[j : j + 5]) for j in range(max(1, len(words) - 4))}
        mh = MinHash(num_perm=128, seed=1)
        mh.update_batch([g.encode() for g in grams])
        hits = lsh.query(mh)
        root.append(min(root[int(h)] for h in hits) if hits else i)
        lsh.insert(str(i), mh)
    return root


def quality(params: MinHashParams) -> dict:
    texts, family, kind = planted_corpus()
    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / "dedup_planted.jsonl", "w", encoding="utf-8") as out:
        for i, text in enumerate(texts):
            out.write(json.dumps({"id": f"{i}:{kind[i]}:{family[i]}", "text": text}, ensure_ascii=False) + "\n")
    first_of = {f: i for i, f in reversed(list(enumerate(family)))}
    jaccards: dict[str, list[float]] = {}
    for i, k in enumerate(kind):
        if k != "original":
            jaccards.setdefault(k, []).append(true_jaccard(texts[first_of[family[i]]], texts[i], params))
    start = time.perf_counter()
    clusters = build_clusters(texts, params)
    seconds = time.perf_counter() - start
    exact_only = CorpusIndex(params, near=False).add_all(texts).resolve()
    return {
        "corpus": {
            "documents": len(texts),
            "mean_bytes": round(float(np.mean([len(t.encode()) for t in texts]))),
            "jaccard_to_original": {
                k: {"min": round(min(v), 3), "median": round(float(np.median(v)), 3)} for k, v in jaccards.items()
            },
        },
        "textfix": {**score(clusters.root.tolist(), family, kind), "seconds": round(seconds, 2)},
        "baseline_exact_only": score(exact_only.root.tolist(), family, kind),
        "baseline_text_dedup_recipe": score(text_dedup_baseline(texts), family, kind),
    }


# --- speed ----------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\W_]+")


def python_char_shingles(text: str, n: int = 5) -> list[str]:
    """What a user writes without textfix: normalise, then character n-grams in Python."""
    norm = _SEPARATORS.sub("", fold(text))
    return [norm[i : i + n] for i in range(max(1, len(norm) - n + 1))]


def best_rate(run, count: int, repeats: int = 3) -> float:
    best = min(_timed(run) for _ in range(repeats))
    return round(count / best)


def _timed(run) -> float:
    # CPU time of this process (one thread): a per-core rate even when the machine is shared.
    start = time.process_time()
    run()
    return time.process_time() - start


_DATATROVE_SCRIPT = """
import json, sys, time
from datatrove.pipeline.dedup.minhash import MinhashDedupSignature
texts = json.load(open(sys.argv[1], encoding="utf-8"))
step = MinhashDedupSignature(output_folder=sys.argv[2], language="cmn_Hani")
step.get_signature(step.get_shingles(texts[0]))
def best(run):
    times = []
    for _ in range(3):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return round(len(texts) / min(times))
shingles = [step.get_shingles(t) for t in texts]
print(json.dumps({
    "docs_per_s": best(lambda: [step.get_signature(step.get_shingles(t)) for t in texts]),
    "docs_per_s_signature_only": best(lambda: [step.get_signature(s) for s in shingles]),
}))
"""


def datatrove_rate(texts: list[str]) -> dict:
    python = os.environ.get("DATATROVE_PYTHON", "/tmp/dtvenv/bin/python")
    if not Path(python).exists():
        return {"skipped": f"no datatrove venv at {python}"}
    DATA.mkdir(parents=True, exist_ok=True)
    payload = DATA / "dedup_speed_docs.json"
    payload.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [python, "-c", _DATATROVE_SCRIPT, str(payload), str(DATA / "datatrove_out")],
        capture_output=True, text=True, env=env, check=False,
    )
    if done.returncode:
        return {"skipped": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed(params: MinHashParams) -> dict:
    from datasketch import MinHash
    from rensa import RMinHash

    texts = ["\n".join(d) for d in originals(1500, pool())]

    def textfix_signatures() -> None:
        for start in range(0, len(texts), 1000):
            batch = texts[start : start + 1000]
            tokens, token_doc = tokenize(batch)
            band_keys(signatures(tokens, token_doc, len(batch), params), params)

    def rensa_python_shingles() -> None:
        for text in texts:
            mh = RMinHash(params.num_perm, params.seed)
            mh.update(python_char_shingles(text))
            mh.digest()

    def datasketch_python_shingles() -> None:
        for text in texts:
            mh = MinHash(num_perm=params.num_perm)
            mh.update_batch([s.encode() for s in python_char_shingles(text)])

    textfix_signatures()  # warm the code point tables
    return {
        "documents": len(texts),
        "mean_bytes": round(float(np.mean([len(t.encode()) for t in texts]))),
        "docs_per_s_one_core": {
            "textfix (numpy shingles + rensa R-MinHash, batch 1000)": best_rate(textfix_signatures, len(texts)),
            "rensa RMinHash, Python character 5-grams": best_rate(rensa_python_shingles, len(texts)),
            "datasketch MinHash, Python character 5-grams": best_rate(datasketch_python_shingles, len(texts)),
            "datatrove MinhashDedupSignature (spaCy/jieba word 5-grams)": datatrove_rate(texts),
        },
    }


# --- scale ----------------------------------------------------------------------------


def scale_child(count: int, params: MinHashParams) -> dict:
    """Index `count` generated ~2 KB documents (every 20th a near-duplicate of a recent one)."""
    paras = pool()
    rng = random.Random(count)
    recent: list[str] = []
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def documents():
        for i in range(count):
            if i % 20 == 19:
                source = list(rng.choice(recent))
                for position in rng.sample(range(len(source)), 4):
                    source[position] = chr(rng.randint(0x4E00, 0x9FA5))
                yield "".join(source)
                continue
            text = "\n".join(rng.choices(paras, k=8))
            recent.append(text)
            if len(recent) > 1000:
                recent.pop(0)
            yield text

    DATA.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    index = CorpusIndex(params, work_dir=DATA)
    index.add_all(documents())
    indexed = time.perf_counter()
    clusters = index.resolve()
    resolved = time.perf_counter()
    return {
        "documents": count,
        "index_seconds": round(indexed - start, 1),
        "resolve_seconds": round(resolved - indexed, 1),
        "removed": clusters.removed,
        "planted": count // 20,
        "rss_before_mb": round(baseline_rss / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def scale(sizes: list[int]) -> dict:
    runs = []
    load_at_start = os.getloadavg()[0]  # times stretch when other jobs share the cores
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--scale-child", str(size)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    out: dict = {"runs": runs, "load_average_at_start": round(load_at_start, 2), "children_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
    if len(runs) >= 2:
        small, large = runs[0], runs[-1]
        out["marginal_bytes_per_doc"] = round(
            (large["peak_rss_mb"] - small["peak_rss_mb"]) * 1024 * 1024 / (large["documents"] - small["documents"]), 1
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", help="comma-separated corpus sizes for the peak-RSS runs, e.g. 100000,1000000")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--skip-quality", action="store_true", help="only the --scale runs")
    args = parser.parse_args()
    params = MinHashParams()
    if args.scale_child:
        print(json.dumps(scale_child(args.scale_child, params)))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["params"] = {**params.__dict__, "s_curve": {f"{j / 10:.1f}": round(params.candidate_probability(j / 10), 4) for j in range(1, 11)}}
    if not args.skip_quality:
        results["quality"] = quality(params)
        results["speed"] = speed(params)
    if args.scale:
        results["scale"] = scale([int(s) for s in args.scale.split(",")])
    results["peak_rss_mb_self"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
