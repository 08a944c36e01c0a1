"""Page cleaning benchmark: chrome removal and second-copy removal on invented web pages.

Builds pages of eight invented sites (zh-Hans, zh-Hant, en), each with its own chrome (menus,
breadcrumbs, share and app prompts, comment widgets, related lists with counters, footers,
inline image placeholders and related boxes); some articles hold a bulleted list of their
own, which must stay. Three sites word their chrome in ways no rule pack knows. Article
bodies are clean prose from `sources.paragraphs`. A share of pages carries the article twice,
the copies damaged differently (edits, lost bytes as `?`), the second copy of some with
paragraphs joined in pairs. Every line is labelled, and the
cleaned output is traced back to input lines (`surviving_lines`).

Reports, per configuration: share of chrome lines removed, share of article lines kept exactly
once, second-copy lines removed, precision of removal; the time of the page-cleaning stages
next to the `repair` stage on the same corpus; peak RSS. Baseline in the same run: removing
exact repeated lines (what corpus pipelines such as data-juicer do inside a document).

    .venv/bin/python benchmarks/page_clean_bench.py [--pages 900] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import sources  # noqa: E402

from textfix.boilerplate import BoilerplateStage, LineStats  # noqa: E402
from textfix.boilerplate.cli import count_lines  # noqa: E402
from textfix.boilerplate.lines import removal_edits, split_lines, surviving_lines  # noqa: E402
from textfix.dedup.in_document import InDocumentDedupStage  # noqa: E402
from textfix.document import Document  # noqa: E402
from textfix.io import plan_tasks  # noqa: E402
from textfix.pipeline import make_stage  # noqa: E402

OUT = Path(__file__).parent / "results" / "page_clean_bench.json"
CHROME, CONTENT, COPY, FREE = "chrome", "content", "copy", "free"


@dataclass
class Site:
    name: str
    lang: str
    head: list[str]  # templates; {title} {n} {date} {k} are filled per page
    tail: list[str]
    inline: list[str] = field(default_factory=list)  # placeholders between paragraphs
    related_header: str = ""
    byline: str = ""  # a judgement call (kept or dropped, either is fine)
    blank_lines: bool = True
    known: bool = True  # False: chrome worded so that no rule pack knows it


SITES = [
    Site("huanyu-news", "zh-Hans",
         head=["首页 | 新闻 | 财经 | 科技 | 体育 | 娱乐", "当前位置:首页 > 科技 > 正文", "分享到微信", "分享到微博"],
         tail=["本文为转载内容,授权事宜请联系原著作权人。", "{related}", "评论", "暂无评论,快来抢沙发", "返回顶部",
               "Copyright © 2003-2024 环宇网 版权所有", "京ICP备{n}号-1"],
         inline=["【资料图】", "[图片]"], related_header="相关阅读", byline="{date} 来源:环宇网 作者:李明"),
    Site("caixin-daily", "zh-Hans",
         head=["打开微信,点击底部的“发现”,", "使用“扫一扫”即可将网页分享至朋友圈。", "{title}丨财讯日报"],
         tail=["举报", "{related}", "上一篇:{rtitle}", "下一篇:{rtitle}", "扫描二维码关注我们", "沪公网安备 {n}号"],
         inline=["图片来源:视觉中国"], related_header="猜你喜欢", byline="财讯日报{date}", blank_lines=False),
    Site("yunqi-blog", "zh-Hans",
         head=["云栖小筑", "一花一世界", "导航"],
         tail=["posted on {date} 云栖 阅读({k}) 评论(0) 编辑 收藏 举报", "{related}", "刷新评论 刷新页面 返回顶部"],
         inline=["Alt text"], related_header="热门文章"),
    Site("xinghe-net", "zh-Hans", known=False,
         head=["星河网 · 今日视点", "本站导读 栏目精选 专题 图集", "星河网 > 社会频道 > 今日"],
         tail=["本站热度榜单", "{related}", "喜欢本文就点个在看", "星河网全体同仁敬上", "联络编辑部 | 广告合作 | 加入星河"],
         inline=["(图为现场画面)"], related_header="星河热读"),
    Site("taiwan-times", "zh-Hant",
         head=["首頁 > 國際 > 亞洲", "正在閱讀:", "分享到 Facebook", "下載台灣時報APP"],
         tail=["本文為轉載內容,授權事宜請聯繫原著作權人。", "{related}", "評論", "暫無評論哦,快來評價一下吧!", "微信公眾號", "微博",
               "© 2024 台灣時報 版權所有"],
         inline=["【資料圖】"], related_header="相關閱讀", byline="{date} 記者 陳怡君/台北報導"),
    Site("gangcheng-post", "zh-Hant", known=False, blank_lines=False,
         head=["港城郵報 ‧ 即時", "本網專欄 ‧ 城中熱話 ‧ 港聞 ‧ 觀點"],
         tail=["港城郵報編輯室", "{related}", "讀者來函請電郵至編輯部", "港城郵報有限公司出品"],
         related_header="編輯精選"),
    Site("daily-planet", "en",
         head=["Skip to content", "Home > World > Asia", "Share on Facebook", "Share on Twitter", "Sign in"],
         tail=["{related}", "Comments", "No comments yet. Be the first to comment!", "Back to top",
               "© 2024 Daily Planet Media. All rights reserved.", "Privacy Policy | Terms of Use | Contact Us"],
         inline=["Photo: Getty Images", "Advertisement"], related_header="Related articles", byline="By Jane Doe, {date}"),
    Site("harbor-ledger", "en", known=False,
         head=["The Harbor Ledger · Since 1921", "Metro  Nation  Opinion  Arts  Weather"],
         tail=["{related}", "Got a tip? Our newsroom reads every message", "The Harbor Ledger is reader supported",
               "Masthead · Ethics policy · Corrections"],
         related_header="Around the Harbor"),
]

DOMAINS = {"zh-Hans": ["prose", "docs", "tech"], "zh-Hant": ["docs", "forum", "tech"], "en": ["docs", "tech"],
           "ja": ["docs", "tech"], "ko": ["law", "tech"]}  # ja/ko: clean pages only (no invented sites)


def article_paragraphs(lang: str, seed: int) -> list[str]:
    pool = [p for d in DOMAINS[lang] for p in sources.paragraphs(lang, seed=seed, domain=d)]
    pool = [p for p in pool if 30 <= len(p) <= 600 and "%" not in p and "\n" not in p]
    random.Random(seed).shuffle(pool)
    return pool


def damage(text: str, rng: random.Random, rate: float, lost_bytes: bool) -> str:
    chars = list(text)
    for _ in range(max(1, round(rate * len(chars)))):
        pos = rng.randrange(len(chars))
        chars[pos] = "?" if lost_bytes else rng.choice(chars)
    return "".join(chars)


def related_block(site: Site, rng: random.Random, titles: list[str]) -> list[tuple[str, str]]:
    lines = [(site.related_header, CHROME)]
    for _ in range(rng.randint(3, 6)):
        lines.append((f"· {rng.choice(titles)}", CHROME))
        if rng.random() < 0.5:
            lines.append((rng.choice([f"{rng.randint(1, 99)}.{rng.randint(0, 9)}k", f"{rng.randint(2, 60)}万",
                                      f"阅读({rng.randint(10, 9999)})", f"{rng.randint(10, 9999)} views"]), CHROME))
    return lines


def fill(template: str, rng: random.Random, title: str, titles: list[str]) -> str:
    date = f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return template.format(title=title, n=rng.randint(10**7, 10**8), date=date, k=rng.randint(10, 9999), rtitle=rng.choice(titles))


def join_pairs(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i][1] == lines[i + 1][1] == COPY:
            out.append((lines[i][0] + lines[i + 1][0], COPY))
            i += 2
        else:
            out.append(lines[i])
            i += 1
    return out


def build_page(site: Site, rng: random.Random, pool: list[str], titles: list[str]) -> tuple[str, list[str]]:
    """A page as text plus one label per line (blank lines: FREE)."""
    body = [pool.pop() for _ in range(rng.randint(4, 12))]
    title = titles[rng.randrange(len(titles))]
    doubled = rng.random() < 0.3
    lines: list[tuple[str, str]] = [(fill(t, rng, title, titles), CHROME) for t in site.head if rng.random() < 0.9]
    head_title = [(title, CONTENT)] + ([(fill(site.byline, rng, title, titles), FREE)] if site.byline else [])

    # in the middle of some articles: a bulleted list that belongs to the article, or a
    # related-articles box of the site
    middle = rng.randrange(1, len(body))
    insert = rng.choices(["none", "list", "box"], weights=[70, 15, 15])[0]
    listed = [f"{rng.choice('•·-')} {rng.choice(titles)[: rng.randint(4, 12)]}" for _ in range(rng.randint(2, 4))]
    box = [(site.related_header, CHROME)] + [(f"· {rng.choice(titles)}", CHROME) for _ in range(rng.randint(2, 3))]

    def article(copy: bool, damaged: bool) -> list[tuple[str, str]]:
        out = []
        for n, para in enumerate(body):
            if damaged:
                para = damage(para, rng, 0.02, lost_bytes=rng.random() < 0.5)
            if n == middle and insert == "list":
                out += [(item, COPY if copy else CONTENT) for item in listed]
            elif n == middle and insert == "box":
                out += box
            out.append((para, COPY if copy else CONTENT))
            if site.inline and n < len(body) - 1 and rng.random() < 0.15:
                out.append((rng.choice(site.inline), CHROME))
        return out

    tail: list[tuple[str, str]] = []
    for template in site.tail:
        if template == "{related}":
            tail += related_block(site, rng, titles)
        elif rng.random() < 0.9:
            tail.append((fill(template, rng, title, titles), CHROME))
    if doubled:
        first_damaged = rng.random() < 0.5
        lines += head_title + article(False, first_damaged) + tail
        copy = article(True, not first_damaged)
        if rng.random() < 0.3:  # the other scrape joined paragraphs in pairs
            copy = join_pairs(copy)
        lines += [(title, COPY)] + copy + tail[: rng.randint(0, len(tail))]
    else:
        lines += head_title + article(False, False) + tail
    sep = "\n\n" if site.blank_lines else "\n"
    text = sep.join(line for line, _ in lines) + "\n"
    labels = []
    for n, (_, label) in enumerate(lines):
        labels.append(label)
        if site.blank_lines and n < len(lines) - 1:
            labels.append(FREE)
    return text, labels


def headline(paragraph: str, rng: random.Random) -> str:
    sentence = re.split(r"[。;；.!?！？]", paragraph)[0].strip()
    return sentence[: rng.randint(12, 24)].strip(" ,，")


def build_corpus(pages: int, seed: int) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)
    pools = {lang: article_paragraphs(lang, seed) for lang in ("zh-Hans", "zh-Hant", "en")}
    # headlines: the first clause of a paragraph, at most 24 characters
    titles = {lang: [t for t in (headline(p, rng) for p in pools[lang][:400]) if len(t) >= 6] for lang in pools}
    for lang in pools:
        del pools[lang][:400]
    corpus = []
    for n in range(pages):
        site = SITES[n % len(SITES)]
        text, labels = build_page(site, rng, pools[site.lang], titles[site.lang])
        corpus.append((site.name, text, labels))
    return corpus


class ExactRepeatedLines:
    """Baseline: drop every line that exactly repeats an earlier non-blank line."""

    name = "exact-repeats"

    def __call__(self, doc: Document) -> Document:
        lines = split_lines(doc.text)
        seen: set[str] = set()
        removed = {}
        for line in lines:
            if line.blank:
                continue
            if line.text in seen:
                removed[line.index] = "exact-repeat"
            seen.add(line.text)
        return doc.apply(self.name, removal_edits(lines, removed)) if removed else doc


def score(corpus, stages) -> dict:
    counts = {"chrome": 0, "chrome_removed": 0, "content": 0, "content_kept": 0, "copy": 0, "copy_removed": 0,
              "removed": 0, "removed_wrongly": 0}
    per_site: dict[str, list[int]] = {}
    for site, text, labels in corpus:
        _, origin = surviving_lines(text, stages)
        kept = set(origin)
        for i, label in enumerate(labels):
            if label == CHROME:
                counts["chrome"] += 1
                counts["chrome_removed"] += i not in kept
                per_site.setdefault(site, [0, 0])[0] += 1
                per_site[site][1] += i not in kept
            elif label == CONTENT:
                counts["content"] += 1
                counts["content_kept"] += i in kept
            elif label == COPY:
                counts["copy"] += 1
                counts["copy_removed"] += i not in kept
            if label != FREE and i not in kept:
                counts["removed"] += 1
                counts["removed_wrongly"] += label == CONTENT
    return {
        "chrome_removed": round(counts["chrome_removed"] / counts["chrome"], 4),
        "content_kept": round(counts["content_kept"] / counts["content"], 4),
        "second_copy_removed": round(counts["copy_removed"] / max(1, counts["copy"]), 4),
        "removal_precision": round(1 - counts["removed_wrongly"] / max(1, counts["removed"]), 4),
        "chrome_removed_per_site": {s: round(r / c, 4) for s, (c, r) in per_site.items()},
        "lines": counts,
    }


def clean_documents_check(stages, seed: int, per_lang: int = 150) -> dict:
    """False positives: pages of clean prose (a headline, then paragraphs), no chrome at all.
    Every removed line is a loss."""
    rng = random.Random(seed)
    out = {}
    for lang in DOMAINS:
        pool = article_paragraphs(lang, seed + 1)
        lines_total = lines_removed = docs_changed = docs = 0
        examples = []
        while docs < per_lang and len(pool) > 11:
            docs += 1
            title = headline(pool.pop(), rng) or pool.pop()[:20]
            text = "\n".join([title] + [pool.pop() for _ in range(rng.randint(3, 10))]) + "\n"
            doc, origin = surviving_lines(text, stages)
            total = text.count("\n")
            lines_total += total
            lines_removed += total - len(origin)
            docs_changed += len(origin) < total
            examples += [(c.reason, c.before.strip()[:60]) for c in doc.changes][: 3 - len(examples)]
        out[lang] = {"lines": lines_total, "lines_removed": lines_removed, "docs": docs,
                     "docs_changed": docs_changed, "examples": examples}
    return out


def time_stages(corpus, make_stages, repeat: int = 5) -> float:
    """Best CPU seconds of `repeat` runs, fresh stages each time (the boilerplate stage
    remembers lines it has seen): the machine is shared, wall time measures neighbours."""
    best = float("inf")
    for _ in range(repeat):
        stages = make_stages()
        start = time.process_time()
        for _, text, _ in corpus:
            doc = Document(text)
            for stage in stages:
                doc = stage(doc)
        best = min(best, time.process_time() - start)
    return best


def repair_commit() -> str:
    """The last commit of the repair stage, the speed reference (it is still changing)."""
    out = subprocess.run(["git", "log", "-1", "--format=%h %cI", "--", "src/textfix/repair"],
                         cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=900)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    corpus = build_corpus(args.pages, args.seed)
    chars = sum(len(text) for _, text, _ in corpus)
    data = Path(__file__).parent / "data" / "page_clean"
    data.mkdir(parents=True, exist_ok=True)
    with open(data / f"pages-{args.seed}.jsonl", "w", encoding="utf-8") as out:
        for site, text, labels in corpus:
            out.write(json.dumps({"site": site, "text": text, "labels": labels}, ensure_ascii=False) + "\n")

    start = time.process_time()
    stats = LineStats().update(text for _, text, _ in corpus)  # first pass over the corpus
    stats_seconds = time.process_time() - start
    # the same pass as `textfix clean --line-stats auto` makes it: reading the JSONL too
    start = time.process_time()
    cli_stats = count_lines(plan_tasks([str(data / f"pages-{args.seed}.jsonl")], in_place=True))
    cli_stats_seconds = time.process_time() - start
    assert cli_stats.documents == stats.documents

    dedup = InDocumentDedupStage()
    configs = {
        "baseline exact repeated lines": [ExactRepeatedLines()],
        "rules+features, no corpus stats": [BoilerplateStage(), dedup],
        "rules+features+corpus stats": [BoilerplateStage(line_stats=stats), dedup],
    }
    results = {name: score(corpus, stages) for name, stages in configs.items()}

    clean_pages = clean_documents_check([BoilerplateStage(), dedup], args.seed)

    # as `clean` runs them: dedup-in-doc sees what boilerplate left
    page_clean = time_stages(corpus, lambda: [BoilerplateStage(line_stats=stats), InDocumentDedupStage()])
    timing = {
        "clock": "CPU seconds (time.process_time), best of 5, fresh stages per run",
        "repair_seconds": round(time_stages(corpus, lambda: [make_stage("repair")]), 4),
        "boilerplate_seconds": round(time_stages(corpus, lambda: [BoilerplateStage(line_stats=stats)]), 4),
        "dedup_in_doc_alone_seconds": round(time_stages(corpus, lambda: [InDocumentDedupStage()]), 4),
        "boilerplate_then_dedup_seconds": round(page_clean, 4),
        "line_stats_first_pass_seconds": round(stats_seconds, 4),
        "line_stats_cli_first_pass_seconds": round(cli_stats_seconds, 4),
        "line_stats_bytes": stats.nbytes,
    }
    timing["page_clean_chars_per_second"] = round(chars / page_clean)
    timing["page_clean_vs_repair"] = round(page_clean / timing["repair_seconds"], 3) if timing["repair_seconds"] > 1e-3 else None
    report = {
        "command": "  ".join(["python benchmarks/page_clean_bench.py"] + sys.argv[1:]),
        "pages": len(corpus),
        "doubled_pages": sum(COPY in labels for _, _, labels in corpus),
        "chars": chars,
        "sites": {s.name: {"lang": s.lang, "chrome_known_to_rules": s.known} for s in SITES},
        "results": results,
        "clean_pages_rules_and_dedup": clean_pages,
        "timing": timing,
        "repair_stage_commit": repair_commit(),
        "peak_rss_mb": {
            "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
