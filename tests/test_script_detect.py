"""detect_script / profile on real text."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textfix
from textfix.script.detect import profile

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["000_b6597fa7ecb8248b", "002_cabd379895d3200d", "003_bc6feda196b70a46", "004_2f222452faba4465"])
def test_simplified_seeds_are_zh_hans(name):
    assert textfix.detect_script((FIXTURES / f"{name}.txt").read_text(encoding="utf-8")) == "zh-Hans"


def test_seed_001_naive_conversion_is_mixed():
    gold = (FIXTURES / "gold" / "001_627f8ad51e47a4a5.repaired.txt").read_text(encoding="utf-8")
    prof = profile(gold)
    assert prof.script == "mixed"
    assert prof.traditional > 50 * prof.simplified > 0  # 并 left behind by a naive s2t
    assert 0 < prof.ratios["simplified"] < 0.02


@pytest.mark.parametrize(
    "text, script",
    [
        ("這是一篇用繁體中文寫成的文章，裡面討論了軟體開發。", "zh-Hant"),
        ("这是一篇用简体中文写成的文章，里面讨论了软件开发。", "zh-Hans"),
        ("東京から横浜へ行きました。", "ja"),
        ("駅弁 欠航 仮名遣 歴史 芸術", "ja"),  # shinjitai without kana
        ("表格 10.12. 主要的 Git 命令", "zh-Hans"),  # reads the same in both scripts
        ("Hello, world. 123", "und"),
        ("", "und"),
        ("한국어 문장입니다", "und"),
    ],
)
def test_detect_script(text, script):
    assert textfix.detect_script(text) == script


def test_a_quoted_japanese_title_does_not_make_chinese_text_japanese():
    text = "我昨天看了宫崎骏的电影《となりのトトロ》，这部电影讲述了两个小女孩和森林精灵之间的故事，非常感人，值得一看。" * 3
    assert textfix.detect_script(text) == "zh-Hans"


_HANS = "这个问题我们已经讨论过很多次了但是还没有结论"
_HANT = "這個問題我們已經討論過很多次了但是還沒有結論"


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40))
def test_mixing_scripts_is_reported_as_mixed_when_both_are_substantial(n_hans, n_hant):
    prof = profile(_HANS[:n_hans] + _HANT[:n_hant])
    minority = min(prof.simplified, prof.traditional)
    assert (prof.script == "mixed") == (minority >= 3)
    if prof.script != "mixed" and prof.simplified + prof.traditional:
        assert prof.script == ("zh-Hant" if prof.traditional > prof.simplified else "zh-Hans")
