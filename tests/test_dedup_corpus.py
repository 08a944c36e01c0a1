"""Corpus dedup: normalisation and tokens, MinHash/LSH, sorted-run merge, clusters, stage."""
from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textfix.dedup.corpus import (
    CorpusDedupStage,
    CorpusIndex,
    MembershipLog,
    SortedRuns,
    build_clusters,
    candidate_pairs,
    deduplicate,
)
from textfix.dedup.exact import exact_keys, fold, tokenize
from textfix.dedup.minhash import MinHashParams, estimated_jaccard, signatures
from textfix.document import Document
from textfix.pipeline import Pipeline

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(FIXTURES.glob("00[0-4]_*.txt"))


def seed_text(number: int) -> str:
    return SEEDS[number].read_text(encoding="utf-8")


def keys(texts: list[str]) -> list[int | None]:
    tokens, token_doc = tokenize(texts)
    return exact_keys(tokens, token_doc, len(texts))


def reference_tokens(text: str) -> list[str]:
    """Per-character restatement of the tokeniser's rules, to check the vectorised one."""
    tokens, word = [], ""
    for char in fold(text):
        cp, category = ord(char), unicodedata.category(char)
        separator = category[0] in "PSZ" or category in ("Cc", "Cf") if cp < 0x30000 else cp >= 0x40000
        single = (
            category[0] in "LN" and (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000)
            if cp < 0x30000
            else not separator
        )
        if separator or single:
            tokens += [word] if word else []
            word = ""
            tokens += [char] if single else []
        else:
            word += "0" if category == "Nd" else char
    return tokens + ([word] if word else [])


# --- what counts as the same text -------------------------------------------------


def test_width_case_punctuation_and_digits_do_not_make_a_new_document():
    original = "ChatGPT发布于2022年11月30日，引发了“百模大战”。Open source wins!"
    variant = "ＣｈａｔＧＰＴ 发布于 2023 年 12 月 01 日, 引发了「百模大战」... open SOURCE wins"
    other = "ChatGPT发布于2022年11月30日，引发了“千模大战”。Open source wins!"
    k = keys([original, variant, other])
    assert k[0] == k[1]
    assert k[0] != k[2]


def test_cjk_characters_are_tokens_and_latin_words_are_tokens():
    assert reference_tokens("AI大模型: open-source 2024") == ["ai", "大", "模", "型", "open", "source", "0000"]
    tokens, token_doc = tokenize(["AI大模型: open-source 2024", "한국어 문장 입니다"])
    assert token_doc.tolist() == [0] * 7 + [1] * 3  # Hangul is space-separated: words


def test_documents_without_letters_get_no_key():
    assert keys(["", " ，。！ ", "ok"])[:2] == [None, None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), min_size=1, max_size=5))
def test_vectorised_tokeniser_matches_the_per_character_rules(texts):
    tokens, token_doc = tokenize(texts)
    for doc, text in enumerate(texts):
        expected = reference_tokens(text)
        assert int((token_doc == doc).sum()) == len(expected)
        # The same tokens written out plainly hash to the same sequence.
        plain, _ = tokenize([" ".join(expected)])
        assert plain.tolist() == tokens[token_doc == doc].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_batching_does_not_change_a_documents_keys_or_signature(texts):
    params = MinHashParams(num_perm=32, bands=8, rows=4)
    batch_keys = keys(texts)
    tokens, token_doc = tokenize(texts)
    batch_sig = signatures(tokens, token_doc, len(texts), params)
    for doc, text in enumerate(texts):
        alone_tokens, alone_doc = tokenize([text])
        assert batch_keys[doc] == exact_keys(alone_tokens, alone_doc, 1)[0]
        assert batch_sig[doc].tolist() == signatures(alone_tokens, alone_doc, 1, params)[0].tolist()


# --- MinHash and banding ----------------------------------------------------------


def test_s_curve_of_the_default_banding():
    params = MinHashParams()
    assert params.candidate_probability(0.7) > 0.999
    assert params.candidate_probability(0.2) < 0.06
    assert 0.4 < params.s_curve_midpoint < 0.45
    with pytest.raises(ValueError):
        MinHashParams(num_perm=64, bands=32, rows=4)


def test_signature_similarity_tracks_shared_shingles():
    text = seed_text(2)
    paragraphs = [p for p in text.split("\n") if len(p) > 40]
    half = "\n".join(paragraphs[: len(paragraphs) // 2])
    texts = [text, text.replace("大模型", "小模型", 1), half, seed_text(4)]
    tokens, token_doc = tokenize(texts)
    sig = signatures(tokens, token_doc, len(texts), MinHashParams())
    similar = estimated_jaccard(sig[:1], sig[1:])
    assert similar[0] > 0.9  # one word changed
    assert 0.2 < similar[1] < 0.8  # half the paragraphs
    assert similar[2] < 0.05  # another page


# --- sorted runs ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(key_list=st.lists(st.integers(0, 30), max_size=300), max_records=st.integers(1, 40))
def test_merging_spilled_runs_groups_like_one_in_memory_sort(key_list, max_records, tmp_path_factory):
    runs = SortedRuns(tmp_path_factory.mktemp("runs"), max_records)
    docs = np.arange(len(key_list), dtype=np.uint32)
    for start in range(0, len(key_list), 7):
        runs.add(np.array(key_list[start : start + 7], dtype=np.uint64), docs[start : start + 7])
    chunks = list(runs.merged())
    merged = np.concatenate(chunks) if chunks else np.empty(0)
    expected = sorted(zip(key_list, range(len(key_list))))
    assert [(int(r["key"]), int(r["doc"])) for r in merged] == expected
    seen_keys = [set(c["key"].tolist()) for c in chunks]
    for i, a in enumerate(seen_keys):  # no key straddles two chunks
        assert all(not a & b for b in seen_keys[i + 1 :])
    pairs = [candidate_pairs(c) for c in chunks]
    first = np.concatenate([p[0] for p in pairs] + [np.empty(0, dtype=np.uint32)])
    other = np.concatenate([p[1] for p in pairs] + [np.empty(0, dtype=np.uint32)])
    groups: dict[int, list[int]] = {}
    for key, doc in expected:
        groups.setdefault(key, []).append(doc)
    assert sorted(zip(first.tolist(), other.tolist())) == sorted((g[0], d) for g in groups.values() for d in g[1:])


# --- clusters on real pages -------------------------------------------------------


def near_duplicates(text: str, rng: random.Random) -> dict[str, str]:
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    chars = list(text)
    for position in rng.sample([i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"], 5):
        chars[position] = "的"
    return {
        "dropped paragraph": "\n".join(lines[:longest] + lines[longest + 1 :]),
        "chrome": "首页 | 新闻 | 财经 | 登录 注册\n" + text + "\n版权所有 © 2024 京ICP备12345678号\n返回顶部",
        "character edits": "".join(chars),
    }


@pytest.mark.parametrize("near", [True, False])
def test_first_member_of_each_cluster_is_kept_in_input_order(near):
    originals = [seed_text(i) for i in (0, 2, 3, 4)]
    variants = near_duplicates(originals[1], random.Random(5))
    exact_copy = originals[3].replace("，", ",")  # re-punctuated mirror
    texts = originals + list(variants.values()) + [exact_copy]
    # Tiny runs exercise the spill and merge.
    clusters = CorpusIndex(near=near, max_records=50, batch_size=3).add_all(texts).resolve()
    kept = [i for i in range(len(texts)) if clusters.is_kept(i)]
    assert kept == ([0, 1, 2, 3] if near else [0, 1, 2, 3, 4, 5, 6])
    assert clusters.root[7] == 3 and clusters.similarity[7] == 1.0
    if near:
        assert clusters.root[4:7].tolist() == [1, 1, 1]
        assert all(0.7 <= s < 1.0 for s in clusters.similarity[4:7])


def test_cluster_rows_name_the_kept_document_for_audit():
    text = seed_text(2)
    variant = near_duplicates(text, random.Random(2))["dropped paragraph"]
    texts = [seed_text(0), text, variant, seed_text(4), text]
    log = MembershipLog(build_clusters(texts))
    rows = [row for row in map(log, ["a", "b", "c", "d", "e"]) if row is not None]
    assert [(r["id"], r["cluster"], r["kept"]) for r in rows] == [
        ("b", "b", True),
        ("c", "b", False),
        ("e", "b", False),
    ]
    assert rows[2]["similarity"] == 1.0 and 0.7 < rows[1]["similarity"] < 1.0


def test_english_near_duplicates_use_word_shingles():
    rng = random.Random(1)
    words = "the of and to in a is that for it as was with be by on not he this are or his from at".split()
    page = " ".join(rng.choice(words) + rng.choice(["", "s", "ing", "ed"]) for _ in range(400))
    reworded = page.replace(" the ", " a ", 3)
    unrelated = " ".join(rng.choice(words) for _ in range(400))
    clusters = build_clusters([page, reworded.upper(), unrelated])
    assert clusters.root.tolist() == [0, 0, 2]


def test_stage_drops_duplicates_and_passes_kept_documents_through_unchanged():
    texts = [seed_text(2), seed_text(4), seed_text(2) + "\n分享到微信"]
    docs = [Document(t, id=str(i)) for i, t in enumerate(texts)]
    stage = CorpusDedupStage(build_clusters(texts))
    out = list(Pipeline([stage]).run(docs))
    assert [d.id for d in out] == ["0", "1"]
    assert out[0] is docs[0] and out[0].text == texts[0] and not out[0].changes
    with pytest.raises(IndexError):
        stage(Document("one document too many"))
    assert [d.id for d in deduplicate(docs)] == ["0", "1"]


# --- command line -----------------------------------------------------------------


def test_dedup_command_writes_kept_records_and_cluster_membership(tmp_path):
    from click.testing import CliRunner

    from textfix.cli import main

    page = seed_text(2)
    rows = [
        {"id": "a", "text": page},
        {"id": "b", "text": seed_text(4)},
        {"id": "c", "text": near_duplicates(page, random.Random(3))["chrome"]},
        {"id": "d", "text": seed_text(0)},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["dedup", str(source), "-o", str(tmp_path / "out.jsonl"), "--clusters", str(tmp_path / "c.jsonl"), "-q"]
    )
    assert result.exit_code == 0, result.output
    kept = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in kept] == ["a", "b", "d"]
    assert kept[0] == source.read_text(encoding="utf-8").splitlines()[0]  # byte for byte
    membership = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert [(m["id"], m["cluster"], m["kept"], m["where"]) for m in membership] == [
        ("a", "a", True, f"{source}:1"),
        ("c", "a", False, f"{source}:3"),
    ]


def test_clean_dedup_removes_duplicate_pages_from_the_cleaned_outputs(tmp_path):
    from click.testing import CliRunner

    from textfix.cli import main

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(seed_text(2), encoding="utf-8")
    (pages / "b.txt").write_text(seed_text(4), encoding="utf-8")
    (pages / "c.txt").write_text(seed_text(2).replace("，", ","), encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(pages), "-o", str(tmp_path / "out"), "--dedup", "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt"]
    refused = CliRunner().invoke(main, ["dedup", "-"], input="text")
    assert refused.exit_code == 2 and "stdin" in refused.output
