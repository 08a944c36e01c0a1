"""textfix.corrupt: byte-level fidelity, determinism, and seed 001 reproduced from its gold."""
from __future__ import annotations

import re
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textfix import corrupt as C

FIXTURES = Path(__file__).parent / "fixtures"

SAMPLES = {
    "zh-Hans": "因为涌现现象的出现，国产大模型的发展将一些想法直接变成现实。你觉得呢？",
    "zh-Hant": "因為涌現現象的出現，國產大模型的發展將一些想法直接變成現實。你覺得呢？",
    "ja": "東京の天気は晴れです。明日は雨が降るかもしれませんので、傘を持って行きましょう。",
    "ko": "대한민국은 민주공화국이다. 모든 국민은 법 앞에 평등하다. 누구든지 차별을 받지 아니한다.",
}

# text every legacy codec here can encode: ASCII, common hanzi, punctuation
_hanzi = st.sampled_from(list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"))
_text = st.text(alphabet=st.one_of(st.sampled_from(list("abc XYZ 0123,.?!()<>/")), _hanzi), max_size=60)


# --- byte-level facts ---------------------------------------------------------------------

@given(_text, st.sampled_from(["gbk", "big5", "shift_jis", "euc_kr", "cp1252", "latin-1"]))
@settings(max_examples=150, deadline=None)
def test_utf8_as_equals_python_codec_with_replace(text, enc):
    assert C.utf8_as(text, enc, "replace").text == text.encode("utf-8").decode(enc, "replace")


@given(_text)
@settings(max_examples=100, deadline=None)
def test_cp1252_mojibake_is_lossless_and_reverses_with_a_sloppy_codec(text):
    once = C.utf8_as(text, "cp1252", "c1")
    assert once.lossless
    assert once.text.encode("sloppy-windows-1252").decode("utf-8") == text
    twice = C.double(text, "cp1252", errors="c1")
    back = twice.text.encode("sloppy-windows-1252").decode("utf-8").encode("sloppy-windows-1252").decode("utf-8")
    assert back == text


@given(_text)
@settings(max_examples=100, deadline=None)
def test_legacy_as_latin1_keeps_every_byte(text):
    damaged = C.legacy_as_latin1(text, "gbk", "latin-1")
    assert damaged.text.encode("latin-1") == text.encode("gbk")
    assert damaged.text.encode("latin-1").decode("gbk") == text


def test_known_mojibake_strings():
    assert C.utf8_as("café", "cp1252").text == "cafÃ©"
    assert C.utf8_as("中文", "gbk").text == "涓\ufffd鏂\ufffd"
    assert C.legacy_as_latin1("中文", "gbk").text == "ÖÐÎÄ"
    assert C.big5_gbk_confusion("中文測試", "big5").text == "いゅ代刚"
    assert C.big5_gbk_confusion("中文", "gbk").text == "中文".encode("gbk").decode("big5", "replace")


def test_undefined_cp1252_byte_becomes_c1_control_or_replacement():
    text = "Ё"  # UTF-8 D0 81: 0x81 is undefined in cp1252
    assert C.utf8_as(text, "cp1252", "c1").text == "Ð\x81"
    replaced = C.utf8_as(text, "cp1252", "replace")
    assert replaced.text == "Ð\ufffd" and not replaced.lossless
    assert C.utf8_as(text, "cp1252", "ignore").text == "Ð"
    assert C.utf8_as(text, "cp1252", "question").text == "Ð?"


def test_swallow_decoder_eats_the_trail_byte_like_seed_001():
    # a lead byte followed by "(" or "<": one "?" and the ASCII byte is gone
    assert C.decode(b"\x9e(y", "gbk", "swallow") == ("?y", 1)
    assert C.decode(b"\xb1</p>", "gbk", "swallow") == ("?/p>", 1)
    # Python's own codec keeps the ASCII byte
    assert b"\x9e(y".decode("gbk", "replace") == "\ufffd(y"
    # GBK's user-defined area decodes to private use, as cp936 / GB18030 do
    assert C.decode(b"\xaa\xa1", "gbk", "swallow") == ("\ue000", 1)


def test_nfkc_after_folds_fullwidth_punctuation():
    damaged = C.nfkc_after("你好，世界！（测试）")
    assert damaged.text == "你好,世界!(测试)"
    assert damaged.details["fold"] == "nfkc" and damaged.expected == damaged.text


# --- seed 001's chain -------------------------------------------------------------------------

def test_misaligned_reproduces_the_forensics_example():
    damaged = C.misaligned("因為“涌現現象")
    assert damaged.text == "因?yàn)椤坝楷F(xiàn)現(xiàn)象"
    assert damaged.details["split_annotations"] == 1
    assert C.misaligned("能夠將一些想法直接變成現實").text == "能夠?qū)⒁恍┫敕ㄖ苯幼兂涩F(xiàn)實(shí)"


def test_misaligned_reproduces_seed_001_from_its_gold():
    seed = (FIXTURES / "001_627f8ad51e47a4a5.txt").read_text("utf-8").split("\n")
    gold = (FIXTURES / "gold" / "001_627f8ad51e47a4a5.repaired.txt").read_text("utf-8").split("\n")
    # gold is width-folded like the seed; the stream the converter saw had fullwidth punctuation
    fullwidth = str.maketrans({",": "，", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ";": "；"})
    pairs = [(s, g.translate(fullwidth)) for s, g in zip(seed, gold) if C.encodable(g.translate(fullwidth), "gbk")]
    same = sum(C.misaligned(g, "gbk", C.SEED_CONVERTER_TRADITIONAL).text == s for s, g in pairs)
    # the remaining lines also lost bytes at places nothing in the text determines
    assert len(pairs) >= 420 and same >= len(pairs) - 30, (len(pairs), same)


def test_misaligned_with_lost_bytes_is_seeded():
    text = SAMPLES["zh-Hant"] * 3
    a = C.misaligned(text, lost_rate=0.05, seed=1)
    assert a == C.misaligned(text, lost_rate=0.05, seed=1)
    assert a.text != C.misaligned(text, lost_rate=0.05, seed=2).text
    assert a.details["lost_positions"]


# --- lost bytes, pinyin, determinism ------------------------------------------------------------

def test_lost_bytes_turns_bytes_into_question_marks():
    text = SAMPLES["zh-Hans"]
    damaged = C.lost_bytes(text, rate=0.05, enc="gbk", seed=3)
    data = bytearray(text.encode("gbk"))
    for i in damaged.details["positions"]:
        data[i] = 0x3F
    assert damaged.text == C.decode(bytes(data), "gbk", "swallow")[0]
    assert "?" in damaged.text and not damaged.lossless
    utf8 = C.lost_bytes(text, rate=0.05, enc="utf-8", errors="replace", seed=3)
    data = bytearray(text.encode("utf-8"))
    for i in utf8.details["positions"]:
        data[i] = 0x3F
    assert utf8.text == bytes(data).decode("utf-8", "replace") and "\ufffd" in utf8.text


def test_pinyin_annotations_are_readings_and_strip_back():
    from pypinyin import Style, pinyin

    damaged = C.pinyin_annotate(SAMPLES["zh-Hant"])
    notes = re.findall(r"(.)\(([^)]+)\)", damaged.text)
    assert len(notes) == len(damaged.details["positions"]) >= 5
    for char, reading in notes:
        assert reading in pinyin(char, style=Style.TONE, heteronym=True)[0]
    assert re.sub(r"\([^)]+\)", "", damaged.text) == SAMPLES["zh-Hant"]


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_every_mechanism_changes_text_and_is_deterministic(lang):
    text = SAMPLES[lang]
    for name, corrupt in C.mechanisms(lang).items():
        first = corrupt(text, 7)
        assert first.text != text, name
        assert first == corrupt(text, 7), name
        assert first.original == text


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_lossless_flag_means_recoverable_by_reencoding(lang):
    text = SAMPLES[lang]
    native = C.NATIVE_ENCODING[lang]
    damaged = C.legacy_as_latin1(text, native, "latin-1")
    assert damaged.lossless and damaged.text.encode("latin-1").decode(native) == text
    lossy = C.lost_bytes(text, 0.1, native, seed=0)
    assert not lossy.lossless and lossy.text != text
