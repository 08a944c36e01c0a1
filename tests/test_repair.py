"""The repair engine on real and synthetic damage; clean text must come back byte for byte."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textfix
from textfix import corrupt
from textfix.repair.stage import RepairStage

FIXTURES = Path(__file__).parent / "fixtures"
SEED_001 = (FIXTURES / "001_627f8ad51e47a4a5.txt").read_text("utf-8")
GOLD_001 = (FIXTURES / "gold/001_627f8ad51e47a4a5.repaired.txt").read_text("utf-8")
CLEAN_SEEDS = ["000_b6597fa7ecb8248b", "002_cabd379895d3200d", "003_bc6feda196b70a46", "004_2f222452faba4465"]


def nfkc(line: str) -> str:
    return unicodedata.normalize("NFKC", line).strip()


@pytest.fixture(scope="module")
def repaired_001() -> str:
    return textfix.repair(SEED_001)


def test_seed_001_matches_gold_line_by_line(repaired_001):
    out, gold = repaired_001.split("\n"), GOLD_001.split("\n")
    assert len(out) == len(gold)
    wrong = [i for i, (a, b) in enumerate(zip(out, gold)) if nfkc(a) != nfkc(b)]
    # 2 of 427 (99.5 %): the two copies of `會非???,`, which neither copy nor model determines
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("seed", CLEAN_SEEDS)
def test_clean_seeds_come_back_byte_identical(seed):
    text = (FIXTURES / f"{seed}.txt").read_text("utf-8")
    assert textfix.repair(text) == text
    assert textfix.explain(text) == []


def test_repair_is_idempotent_on_seed_001(repaired_001):
    assert textfix.repair(repaired_001) == repaired_001


def test_undecided_spans_are_reported_not_changed():
    suspicious = [c for c in textfix.explain(SEED_001) if c.reason.startswith("suspicious")]
    assert suspicious and all(c.before == c.after for c in suspicious)
    assert any("???" in c.before for c in suspicious)  # `會非???,`: nothing decides it


def test_explain_names_mechanism_span_and_text():
    changes = [c for c in textfix.explain(SEED_001) if not c.reason.startswith("suspicious")]
    reasons = {c.reason.split(":")[0] for c in changes}
    assert {"misaligned-gbk", "pinyin-annotation"} <= reasons
    for change in changes[:50]:
        assert change.stage == "repair"
        assert change.before != change.after
        assert 0 < change.confidence <= 1


def test_misaligned_annotation_recovers_the_lost_lead_byte():
    # `因為“涌現` with (yàn) inserted between 9E and E9 of 為: the reading pins the lost byte
    assert textfix.repair("讓“涌現現象”更有效率發生。就是因?yàn)椤坝楷F現象”,說明模型已經學會了。") == (
        "讓“涌現現象”更有效率發生。就是因為“涌現現象”,說明模型已經學會了。"
    )


def test_legitimate_pinyin_mention_is_kept():
    text = "“行(háng)”字在这里读作háng,不读xíng。"
    assert textfix.repair(text) == text


def test_converter_annotations_are_removed():
    text = "國產(chǎn)大模型的發(fā)展很快,技術(shù)進步也很快,產(chǎn)業(yè)正在變化。"
    assert textfix.repair(text) == "國產大模型的發展很快,技術進步也很快,產業正在變化。"


def test_wrong_reading_is_not_removed():
    # (mǎ) is not a reading of 國: not the converter's doing
    text = "國(mǎ)產(chǎn)發(fā)展技術(shù)"
    assert "國(mǎ)" in textfix.repair(text)


SENTENCES = [
    "国产大模型正在改变整个行业，就像iPhone和Android，很多公司都在加紧布局。",
    "這是一個關於語言模型的測試，我們希望它能正確處理。",
    "日本語の文章を正しく処理できるかどうかを確認します。",
    "한국어 문장도 올바르게 처리되는지 확인합니다.",
]


# (sentence, codec that misread its UTF-8): each loses bytes the codec rejected (U+FFFD),
# which the character model restores
RECOVERABLE = [(s, "gbk") for s in SENTENCES] + [
    (SENTENCES[0], "cp1252"), (SENTENCES[1], "cp1252"), (SENTENCES[1], "shift_jis"), (SENTENCES[2], "shift_jis"),
]


@pytest.mark.parametrize("text,wrong", RECOVERABLE)
def test_utf8_misread_with_lost_bytes_round_trips(text, wrong):
    damaged = corrupt.utf8_as(text, wrong).text
    assert damaged != text
    assert textfix.repair(damaged) == text


@pytest.mark.parametrize("legacy", ["gbk", "big5", "shift_jis", "euc_kr"])
def test_legacy_bytes_read_as_latin1_round_trip(legacy):
    # includes Latin words inside the Chinese (`iPhone和Android`)
    text = {"gbk": SENTENCES[0], "big5": SENTENCES[1], "shift_jis": SENTENCES[2], "euc_kr": SENTENCES[3]}[legacy]
    damaged = corrupt.legacy_as_latin1(text, legacy).text
    assert damaged != text
    assert textfix.repair(damaged) == text


def test_double_mojibake_round_trips():
    damaged = corrupt.double(SENTENCES[0], errors="c1").text
    assert damaged != SENTENCES[0]
    assert textfix.repair(damaged) == SENTENCES[0]


def test_latin_mojibake_goes_through_ftfy_without_normalising():
    assert textfix.repair("The cafÃ© servesÂ crÃ¨me brÃ»lÃ©e，“quoted”.") == "The café serves\u00a0crème brûlée，“quoted”."


def test_repair_stage_usable_alone_and_rejects_unknown_fixers():
    doc = RepairStage(fixers=["pinyin-annotation"])(textfix.Document("發(fā)展和發(fā)明,發(fā)現"))
    assert doc.text == "發展和發明,發現"
    with pytest.raises(KeyError):
        RepairStage(fixers=["nope"])


# Clean text from the clean seeds: any run of their lines must come back unchanged.
CLEAN_LINES = [
    line
    for seed in CLEAN_SEEDS
    for line in (FIXTURES / f"{seed}.txt").read_text("utf-8").split("\n")
    if line.strip()
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_LINES), min_size=1, max_size=6), st.sampled_from(["\n", "\n\n", " "]))
def test_clean_text_is_untouched(lines, sep):
    text = sep.join(lines)
    assert textfix.repair(text) == text


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_repair_never_crashes_and_is_idempotent(text):
    once = textfix.repair(text)
    assert textfix.repair(once) == once


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([l for l in CLEAN_LINES if 20 <= len(l) <= 200 and "?" not in l]),
       st.sampled_from(["gbk", "big5"]))
def test_utf8_as_cjk_codec_round_trips_on_seed_lines(line, wrong):
    damaged = corrupt.utf8_as(line, wrong).text
    if "\ufffd" in damaged or damaged == line:
        return
    assert textfix.repair(damaged) == line


def test_html_entities_in_plain_text_are_resolved_but_not_in_markup():
    assert textfix.repair("中文&nbsp;测试&#20013;&amp;文 &lt;b&gt;") == "中文\u00a0测试中&文 <b>"
    assert textfix.repair("use &lt; for <") == "use &lt; for <"
    assert textfix.repair("write &lt;file&gt; or &#234;") == "write &lt;file&gt; or &#234;"
    assert textfix.repair("<p>a &amp; b</p>") == "<p>a &amp; b</p>"
    assert textfix.repair("AT&T; R&D; &notanentity; &#0;") == "AT&T; R&D; &notanentity; &#0;"


# Round trips per mechanism on clean seed lines (derandomized: the same examples every run).
ROUND_TRIP_LINES = [l for l in CLEAN_LINES if 10 <= len(l) <= 300 and "?" not in l and not l.isascii()]


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ROUND_TRIP_LINES), st.sampled_from(["utf8-latin-1", "utf8-cp1252", "double-cp1252"]))
def test_lossless_mechanisms_round_trip(line, mechanism):
    # (GBK read as latin-1 is 98% in the benchmark: a short line of rare names, such as
    # `作者丨苑晶编辑丨大兔`, reads too unlikely to the model to be trusted)
    damaged = {
        "utf8-latin-1": lambda t: corrupt.utf8_as(t, "latin-1"),
        "utf8-cp1252": lambda t: corrupt.utf8_as(t, "cp1252", errors="c1"),
        "double-cp1252": lambda t: corrupt.double(t, errors="c1"),
    }[mechanism](line)
    assert damaged.text != line
    assert textfix.repair(damaged.text) == damaged.expected


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([l for l in ROUND_TRIP_LINES if len(l) >= 40]), st.integers(0, 1000))
def test_pinyin_annotations_round_trip(line, seed):
    damaged = corrupt.pinyin_annotate(line, corrupt.frequent_hanzi(line, top=8))
    if damaged.text == line:
        return
    assert textfix.repair(damaged.text) == line


def test_damage_inside_a_huge_line_is_repaired_and_the_rest_kept():
    # the byte search looks at a window around each mark, so a long line stays tractable
    clean = "".join(CLEAN_LINES[:40]).replace("?", "")[:60_000]
    damaged_span, repaired_span = "就是因?yàn)椤坝楷F現象”,說明", "就是因為“涌現現象”,說明"
    middle = len(clean) // 2
    text = clean[:middle] + damaged_span + clean[middle:]
    assert textfix.repair(text) == clean[:middle] + repaired_span + clean[middle:]


# Big5 and GBK confused, both ways; each line loses bytes the misreading codec rejected and
# runs out of step after them (ASCII trail bytes split it into fragments)
CONFUSED = [
    ("這個函式會傳回目前的工作目錄，如果發生錯誤則傳回空值。", "big5"),
    ("这个函数返回当前的工作目录，如果发生错误则返回空值。", "gbk"),
]


@pytest.mark.parametrize("text,written_in", CONFUSED)
def test_big5_gbk_confusion_with_lost_bytes_is_restored(text, written_in):
    damaged = corrupt.big5_gbk_confusion(text, written_in)
    assert not damaged.lossless and "\ufffd" in damaged.text
    assert textfix.repair(damaged.text) == text
    reasons = {c.reason for c in textfix.explain(damaged.text)}
    assert any("lost bytes restored" in r for r in reasons)


def test_lost_byte_follows_the_script_of_the_document():
    # `鍦�` alone could be 在 or 國 (the lost byte is either); the document is simplified
    text = "在 bash 中 可以 通过 设置 变量 把 它 设为 传统的 风格"
    damaged = corrupt.utf8_as(text, "gbk").text
    assert damaged.startswith("鍦\ufffd ")
    assert textfix.repair(damaged).startswith("在 bash")


def test_utf8_read_as_big5_loses_half_its_bytes_and_comes_back_chinese():
    text = "这个函数返回当前的工作目录，如果发生错误则返回空值。"
    damaged = corrupt.utf8_as(text, "big5").text
    repaired = textfix.repair(damaged)
    same = sum(a == b for a, b in zip(repaired, text))
    assert len(repaired) == len(text) and same >= len(text) // 2
    assert not any("\u3040" <= c <= "\u30ff" for c in repaired)  # no kana in Chinese


def test_model_does_not_count_mojibake_as_common():
    # jieba's dictionary counts 锛 and 涓 (pieces of UTF-8 `，` and `中` read as GBK) among
    # its frequent characters; the model builder drops them
    from textfix.repair.model import RARE_COUNT, load_model

    model = load_model()
    assert all(model.count(c) < RARE_COUNT for c in "锛涓鐨紝")
    assert all(model.count(c) > 100 * RARE_COUNT for c in "的中在")


def test_latin_mojibake_in_english_never_becomes_chinese():
    # from ftfy's cases: the last quote's bytes also read as GBK (`鈥檯`), glued to a word of
    # an English text; and a sentence ftfy repairs to U+FFFD marks must stay Latin
    ecuador = "Ecuador\u00e2\x80\x99s decision is likely result of \u00e2\x80\x98US pressure\u00e2\x80\x99\x85"
    goodness = "It\u00c3?\u00c2\u00a2\u00e2?\u00ac\u00e2?\u00a2s classic. It\u00c3?\u00c2\u00a2\u00e2?\u00ac\u00e2?\u00a2s epic."
    for text in (ecuador, goodness):
        repaired = textfix.repair(text)
        assert not any("\u3000" <= c <= "\u9fff" for c in repaired), repaired
    assert textfix.repair(ecuador).startswith("Ecuador\u2019s")


def _lose_lead_bytes(text: str, enc: str, *chars: str, errors: str = "swallow") -> str:
    """`text` in `enc` with the first byte of each of `chars` (first occurrence) lost as `?`,
    decoded back with `errors` (see textfix.corrupt)."""
    data = bytearray(text.encode(enc))
    for char in chars:
        data[data.index(char.encode(enc))] = 0x3F
    return corrupt.decode(bytes(data), enc, errors)[0]


def test_run_out_of_step_after_a_lost_lead_is_realigned_and_the_lost_character_marked():
    # the lost byte's character (爱) cannot be told from its rivals; the 30 characters the
    # decoder read out of step after it can, and must not stay garbage because of it
    text = "蓬门未识绮罗香，拟托良媒益自伤。谁爱风流高格调，共怜时世俭梳妆。敢将十指夸针巧，不把双眉斗画长。"
    damaged = _lose_lead_bytes(text, "gbk", "爱")
    assert "风流" not in damaged
    assert textfix.repair(damaged) == text.replace("爱", "\ufffd")
    [change] = textfix.explain(damaged)
    assert change.reason == "lost-bytes-gbk, lost character marked"


def test_big5_text_with_a_lost_byte_is_realigned_in_big5_not_gbk():
    text = "若與 --global 選項連用，則表示變更作用於所有使用者，在全域性使用者單元目錄上操作。"
    damaged = _lose_lead_bytes(text, "big5", "所")
    repaired = textfix.repair(damaged)
    assert "使用者，在全域性" in repaired and repaired.count("\ufffd") <= 1
    assert {c.reason.split(",")[0] for c in textfix.explain(damaged)} == {"lost-bytes-big5"}


LOOKS_DAMAGED_BUT_IS_NOT = [
    # Big5 reads `?G` as a lead byte lost before the trail `G` (：); GPT is a word
    pytest.param("問為什么這很可笑?GPT-4能回答說,因為VGA線充iPhone。", id="question-before-latin-word"),
    # ftfy's "goodness" case after its own fix: marks beside `¢`, which Big5 also encodes
    pytest.param("It\ufffd\u00a2\ufffd\ufffds classic. It\ufffd\u00a2\ufffd\ufffds epic, for goodness\ufffd\u00a2\ufffd\ufffd sake!",
                 id="western-text-with-marks"),
    # one lost mark before parentheses is no converter pattern
    pytest.param("他问：“这是什么?(huán)”我没回答。", id="single-mark-before-parentheses"),
    # a lone gloss after a real question mark, and a lone damaged gloss
    pytest.param("他问：这是什么?(shénme)", id="gloss-after-question-mark"),
    pytest.param("用于端口的转(zhu?n)发。", id="lone-damaged-gloss"),
    # mostly valid UTF-8 bytes: ftfy's territory, whatever CJK reading they also have
    pytest.param("ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â", id="hopeless-cp1252-garble"),
]


@pytest.mark.parametrize("text", LOOKS_DAMAGED_BUT_IS_NOT)
def test_text_that_only_looks_damaged_is_kept(text):
    assert textfix.repair(text) == text


def test_korean_read_as_latin1_one_syllable_per_word_is_undone_line_by_line():
    # every run is one syllable (two Latin-1 characters), too short to decide alone
    text = "제17조 ① 지방자치단체의 종류는 다음과 같다.\n1년 이 내 (여 자 교 육 공 무 원)"
    damaged = corrupt.legacy_as_latin1(text, "euc_kr").text
    assert textfix.repair(damaged) == text


def test_utf8_read_as_gbk_in_a_man_page_is_restored():
    # rarer characters than news (a man page), each line losing a byte
    text = "用法：tar [选项...] [文件]...\n在 bash 中 可以 通过 设置 变量 把 它 设为 传统的 风格"
    damaged = corrupt.utf8_as(text, "gbk").text
    assert "\ufffd" in damaged
    repaired = textfix.repair(damaged)
    assert repaired.splitlines()[0] == text.splitlines()[0]
    assert sum(a != b for a, b in zip(repaired, text)) <= 2


def test_lost_character_is_restored_from_the_annotation_it_kept():
    # the converter annotated 数 and 据; the byte damage took 数 but left its `(shù)`
    text = "template ?(shù)据(jù)库 \"%s\" 不存在"
    assert textfix.repair(text) == 'template 数据库 "%s" 不存在'
    reasons = [c.reason for c in textfix.explain(text)]
    assert "pinyin-annotation: lost character restored from its reading" in reasons


@pytest.mark.parametrize("text", [
    "鄙而退。豈力能制敵歟?蓋蒙其傷憐而已。",  # not `歟由w`
    "如何處理這個位址?([q]uit|[d]rop)",  # not `。╗`
    "首先,算力是一种消耗品?他会告诉你,“我们就是规模大”。",
    "吾欲使汝為善乎?則我不為惡;欺天乎?",
])
def test_nfkc_folded_clean_text_keeps_its_ascii_question_marks(text):
    assert textfix.repair(text) == text


def test_shift_jis_text_with_a_lost_byte_is_realigned():
    text = "東京駅で友達と会いました。それから一緒に新しい映画を見に行きました。"
    damaged = _lose_lead_bytes(text, "shift_jis", "緒")  # the decoder then runs out of step
    assert "一緒に" not in damaged
    assert textfix.repair(damaged) == text
    assert [c.reason for c in textfix.explain(damaged)] == ["lost-bytes-shift_jis"]


@pytest.mark.parametrize("errors", ["ignore", "question"])
def test_utf8_read_as_gbk_by_a_decoder_that_dropped_or_questioned_bytes(errors):
    # errors="ignore" leaves no mark where bytes went; "question" leaves `?`
    text = "我们的产品发布会非常成功，市场反馈很好。这个函数返回当前的工作目录，如果发生错误则返回空值。"
    damaged = corrupt.utf8_as(text, "gbk", errors).text
    assert "\ufffd" not in damaged and damaged != text
    assert textfix.repair(damaged) == text


def test_big5_read_as_gbk_is_undone_whole_line_when_holes_split_it():
    # ASCII words cut the misread line into runs; filling each run's holes alone leaves
    # valid-looking GBK between them (`的琌Τㄇ跋` for 但是有些區別)
    text = "這個指令把 tar 檔案複製到歸檔裡面， 也可以從 stdin 讀取檔名。 但是有些區別。"
    damaged = corrupt.big5_gbk_confusion(text, "big5").text
    assert textfix.repair(damaged) == text
    assert any(c.reason.endswith("whole line") for c in textfix.explain(damaged))


def test_utf8_lost_character_after_latin_or_punctuation_becomes_one_mark():
    # three marks are a UTF-8 character that lost a byte wherever they stand
    damaged = corrupt.decode("变量 “$PS1” 的值".encode("utf-8").replace(b"\xe2\x80\x9c", b"?\x80\x9c"), "utf-8")[0]
    assert damaged == "变量 ?��$PS1” 的值"
    assert textfix.repair(damaged) == "变量 \ufffd$PS1” 的值"


def test_text_between_utf8_lost_characters_is_not_realigned_as_gbk():
    text = "会谈结束后，双方密切配合。克雷库总统表示感谢。"
    damaged = _lose_lead_bytes(text, "utf-8", "合", "库", errors="replace")
    repaired = textfix.repair(damaged)
    assert repaired.replace("\ufffd", "") == text.replace("合", "").replace("库", "")


@pytest.mark.parametrize("damaged,expected", [
    # alone: nobody writes `?(gè)` after a hanzi, and the reading decides the character
    ("在 Linux 2.2 下还增加了一?(gè)域给可用的路径名.", "在 Linux 2.2 下还增加了一个域给可用的路径名."),
    # the lost lead byte swallowed the `(` as its trail
    ("要有一个参??shù)来区分它们，经(jīng)常用到。", "要有一个参数来区分它们，经常用到。"),
    # a toned vowel (two bytes in GBK) that lost a byte, in a document with the pattern
    ("用于端口的转(zhu?n)发，只有经(jīng)过授权的用户可以。", "用于端口的转发，只有经过授权的用户可以。"),
])
def test_annotations_damaged_by_lost_bytes_are_undone(damaged, expected):
    assert textfix.repair(damaged) == expected


def test_big5_poetry_read_as_latin1_is_restored_though_its_characters_are_rare():
    poem = "雪花遣霰作前鋒，勢破張皇欲暗空。篩瓦巧尋疏處漏，跳階誤到暖邊融。"
    damaged = corrupt.legacy_as_latin1(poem, "big5", "latin-1").text
    assert textfix.repair(damaged) == poem


def test_short_euc_kr_run_after_a_lost_lead_is_realigned():
    text = "초등학교 저학년인"
    damaged = _lose_lead_bytes(text, "euc-kr", "학년")  # the lead byte of 학
    assert damaged == "초등학교 저?均袖?"
    # 학 lost its lead (restored or marked), 년 realigned; 인 gave its lead to the run's last pair
    repaired = textfix.repair(damaged)
    assert repaired[:6] == "초등학교 저" and repaired[7:] == "년\ufffd"
    assert repaired[6] == "\ufffd" or "\uac00" <= repaired[6] <= "\ud7a3"


def test_spaced_characters_read_as_gbk_with_question_marks_are_read_whole_line():
    # each character alone between spaces: `涓? 寤?`, every third UTF-8 byte written as `?`
    text = "不 建 立 使 用 者 目 錄 ， 即 使 系 統 設 定 要 建 立 使 用 者 目 錄 。"
    damaged = corrupt.utf8_as(text, "gbk", "question").text
    assert damaged.startswith("涓? 寤? ")
    repaired = textfix.repair(damaged)
    assert "?" not in repaired and len(repaired) == len(text)
    assert sum(a == b for a, b in zip(repaired, text)) >= 0.7 * len(text)


def test_lost_lead_in_unspaced_chinese_realigns_to_the_end_of_the_line():
    # no ASCII byte resyncs the decoder: the rest of the line is read out of step; rivals
    # differ only on characters resting on unknown bytes, so those are marked and the rest read
    text = "绿蚁新醅酒，红泥小火炉。晚来天欲雪，能饮一杯无。"
    damaged = _lose_lead_bytes(text, "gbk", "炉")
    repaired = textfix.repair(damaged)
    assert repaired[:10] == text[:10] and repaired[11:-1] == text[11:-1]
    assert repaired[10] in "炉\ufffd" and repaired[-1] in "。\ufffd"


def test_realigned_fullwidth_punctuation_is_kept_where_the_page_shows_no_folding():
    text = "这也正是本世纪五十至七十年代崛起的新派武侠进步的主要标志：不再仅仅描述侠客义行，而是偏重展现人性的冲突。"
    damaged = _lose_lead_bytes(text, "gbk", "七")
    repaired = textfix.repair(damaged)
    assert "：" in repaired and "，" in repaired and "," not in repaired


def test_lost_korean_syllable_that_swallowed_the_space_after_it_is_realigned():
    text = "이 옵션을 지정하면 작업을 강제로 끝냅니다 그리고 결과 파일을 지웁니다"
    damaged = _lose_lead_bytes(text, "euc-kr", "작업")  # 작 loses its lead
    repaired = textfix.repair(damaged)
    assert "?" not in repaired and len(repaired) == len(text)
    assert sum(a != b for a, b in zip(repaired, text)) <= 2


def test_lost_utf8_character_is_guessed_from_two_characters_either_side():
    # the line's end counts as context too: 目 at the end of a line is 目录 far more than 目的
    damaged = ("警告：您正要删除这个目".encode() + b"?\xbd\x95").decode("utf-8", "replace")
    assert damaged == "警告：您正要删除这个目?\ufffd\ufffd"  # 录 = E5 BD 95, its lead byte lost
    assert textfix.repair(damaged) == "警告：您正要删除这个目录"


@pytest.mark.parametrize("text", ["ファイルデスクリプタを閉じる", "標準のデスクリプタを使う"])
def test_lost_byte_in_a_misread_run_is_chosen_again_with_wider_context(text):
    # デ and テ differ in the byte Shift-JIS rejected; only ス two places on tells them apart
    damaged = corrupt.utf8_as(text, "shift_jis").text
    assert "\ufffd" in damaged
    assert textfix.repair(damaged) == text


def test_lossy_cp1252_misreading_of_latin_text_keeps_ftfys_mark_but_cjk_is_restored():
    # `â€�` was `”` (E2 80 9D; cp1252 lacks 9D): Latin text is ftfy's, which keeps the mark
    assert textfix.repair("â€œlossy decodingâ€�") == "“lossy decoding\ufffd"
    # the same decoder on Chinese: ftfy reads no CJK, the lattice restores the lost bytes
    text = "简体中文的网页经常出现乱码。"
    damaged = corrupt.utf8_as(text, "cp1252", "replace").text
    assert damaged.count("\ufffd") == 2
    assert textfix.repair(damaged) == text


def test_lost_character_is_taken_from_the_same_place_elsewhere_on_the_page():
    # 克雷库 is a name the model does not know; the page writes it whole once
    damaged = "贝宁总统克雷库昨天抵达北京。会谈中，克雷?\ufffd\ufffd总统表示感谢。"
    assert textfix.repair(damaged) == "贝宁总统克雷库昨天抵达北京。会谈中，克雷库总统表示感谢。"
    alone = "会谈中，克雷?\ufffd\ufffd总统表示感谢。"
    assert "库" not in textfix.repair(alone)


def test_utf8_read_as_gbk_dropping_a_quarter_of_its_bytes_is_still_restored():
    # traditional characters lose a byte to GBK more often than simplified ones
    text = "昨夜風開露井桃，未央前殿月輪高。平陽歌舞新承寵，簾外春寒賜錦袍。"
    damaged = corrupt.utf8_as(text, "gbk", "ignore").text
    # read back as UTF-8, its bytes fail in more than a quarter of the places (11 of 42)
    assert damaged.encode("gbk").decode("utf-8", "replace").count("\ufffd") > len(damaged) // 4
    assert textfix.repair(damaged) == text
