"""In-document dedup: second copies of the article, repeated titles and lines, better copies."""
from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from textfix.dedup import in_document
from textfix.dedup.in_document import COMMON_NGRAM, InDocumentDedupStage, damage
from textfix.document import Document

FIXTURES = Path(__file__).parent / "fixtures"
# distinct real paragraphs (clean seed 003), as an article body
PARAGRAPHS = [
    line
    for line in dict.fromkeys((FIXTURES / "003_bc6feda196b70a46.txt").read_text("utf-8").split("\n"))
    if len(line) > 30
][:40]


def dedup(text: str) -> Document:
    return InDocumentDedupStage()(Document(text))


def _edit(line: str, rate: float, rng: random.Random) -> str:
    chars = list(line)
    for _ in range(max(1, round(rate * len(chars)))):
        pos = rng.randrange(len(chars))
        if chars[pos] != "?":  # replacing a real question mark would make the copy look better
            chars[pos] = rng.choice("的了是在有和人这中大为上个国")
    return "".join(chars)


def test_clean_article_passes_byte_for_byte():
    text = (FIXTURES / "003_bc6feda196b70a46.txt").read_text("utf-8")
    doc = dedup(text)
    assert doc.text == text and doc.changes == []


def test_second_copy_with_edits_is_removed():
    rng = random.Random(4)
    body = PARAGRAPHS[:20]
    copy = [_edit(p, 0.02, rng) for p in body]
    text = "\n\n".join(["标题:大模型下半场"] + body + ["标题:大模型下半场"] + copy) + "\n"
    doc = dedup(text)
    assert doc.text == "\n\n".join(["标题:大模型下半场"] + body) + "\n"
    assert {c.reason for c in doc.changes} == {"repeated-line", "near-copy"}


def test_per_paragraph_the_less_damaged_copy_is_kept_in_first_position():
    good, other = PARAGRAPHS[0], PARAGRAPHS[1]
    damaged = good[:10] + "??" + good[12:]
    text = "\n".join([damaged, other, good, other]) + "\n"
    doc = dedup(text)
    assert doc.text == "\n".join([good, other]) + "\n"
    assert any(c.reason.startswith("better-copy") and c.after == good for c in doc.changes)


def test_converter_annotations_do_not_hide_a_copy():
    plain = "國產大模型,摸著OpenAI過河,文心一言發布會召開后壓力很大。"
    annotated = "國產(chǎn)大模型,摸著OpenAI過河,文心一言發(fā)布會(huì)召開后壓力很大。"
    doc = dedup(annotated + "\n" + plain + "\n")
    assert doc.text == plain + "\n"  # the annotated copy is the damaged one


def test_short_repeated_lines_and_shared_quotes_stay():
    quote = "他说:“我们会继续投入研发。”"
    text = "\n".join(["是。", PARAGRAPHS[0], "是。", PARAGRAPHS[1] + quote, quote + PARAGRAPHS[2]])
    assert dedup(text).text == text


def test_repeated_short_replies_in_an_interview_stay_but_a_repeated_title_goes():
    text = "\n".join(["大模型的下半场", "大模型的下半场", "刘晔:对。", PARAGRAPHS[0], "刘晔:对。", "Thank you.", "Thank you."])
    assert dedup(text).text == "\n".join(["大模型的下半场", "刘晔:对。", PARAGRAPHS[0], "刘晔:对。", "Thank you.", "Thank you."])


def test_english_copy():
    para = [
        "The central bank raised interest rates on Tuesday, citing persistent inflation in services.",
        "Analysts said the move had been widely expected, and markets barely reacted to the news.",
    ]
    copy = [para[0].replace("Tuesday", "Tuesday morning"), para[1]]
    assert dedup("\n".join(para + copy)).text == "\n".join(para)


def test_damage_score():
    assert damage("非常可怕") == 0
    assert damage("就非??膳?。有") == 3
    assert damage("这是真的吗?是的。Really? Yes.") == 0
    assert damage("國產(chǎn)") == 1
    assert damage("cafÃ©") == 1
    assert damage("“在这样的基础上,我们或许可以先做小,再做大常。") == 1  # the closing ” was lost


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(PARAGRAPHS))), min_size=1, max_size=12, unique=True),
    st.randoms(use_true_random=False),
    st.floats(0.0, 0.03),  # the copies differ by ~2 % edits
)
def test_any_article_doubled_with_small_edits_comes_back_once(order, rng, rate):
    body = [PARAGRAPHS[i] for i in order]
    copy = [_edit(p, rate, rng) if rate else p for p in body]
    doc = dedup("\n".join(body + copy))
    assert doc.text == "\n".join(body)


def test_second_copy_cut_into_paragraphs_differently_is_removed():
    body = PARAGRAPHS[3:9]
    merged = [body[0] + body[1], body[2], body[3] + body[4] + body[5]]  # the other scrape joined them
    split = []
    for para in body:  # ... or split them at a comma
        cut = para.find(",", len(para) // 3)
        split += [para[: cut + 1], para[cut + 1 :]] if 0 < cut < len(para) - 25 else [para]
    for copy in (merged, split):
        doc = dedup("\n".join(body + copy) + "\n")
        assert doc.text == "\n".join(body) + "\n"
        assert {c.reason for c in doc.changes} <= {"piece-of-earlier-line", "joined-earlier-lines", "near-copy", "repeated-line"}


def test_a_paragraph_that_only_quotes_part_of_an_earlier_one_stays():
    first = PARAGRAPHS[10]
    later = first[: len(first) // 3] + PARAGRAPHS[11]  # a third shared: not the same text
    text = "\n".join([first, later])
    assert dedup(text).text == text


def test_templated_sentences_are_not_copies():
    text = "\n".join(
        [
            "If --hostpubmd5 is provided several times, the last set value will be used.",
            "Provide the argument --binding on the command line.",
            "If --range is provided several times, the last set value will be used.",
            "Provide the argument --role on the command line.",
        ]
    )
    assert dedup(text).text == text


# --- how n-grams are held: bit sets, sets of ranks, sets of strings agree --------------------

def _documents(rng: random.Random, count: int) -> list[str]:
    docs = []
    for _ in range(count):
        body = rng.sample(PARAGRAPHS, rng.randint(2, 12))
        copy = [_edit(p, 0.03, rng) for p in body if rng.random() < 0.8]
        joined = [a + b for a, b in zip(copy[::2], copy[1::2])] if rng.random() < 0.3 else copy
        pieces = [p[: len(p) // 2] for p in body[:2]] if rng.random() < 0.3 else []
        docs.append("\n".join(body + ["是。", body[0]] + joined + pieces))
    return docs


def _changes(docs: list[str]) -> list:
    return [[tuple(c) for c in dedup(text).changes] for text in docs]


def test_bit_sets_sets_of_ranks_and_sets_of_strings_find_the_same_copies(monkeypatch):
    docs = _documents(random.Random(7), 60)
    bit_sets = _changes(docs)
    monkeypatch.setattr(in_document, "_MAX_BITS", 0)  # sets of ranks
    assert _changes(docs) == bit_sets
    init = in_document._DocGrams.__init__

    def strings_only(self, *args):
        init(self, *args)
        self.codes = None  # n-grams as strings (as for 5-grams of more than 4,096 characters)

    monkeypatch.setattr(in_document._DocGrams, "__init__", strings_only)
    assert _changes(docs) == bit_sets


def test_copies_are_found_past_common_ngram_kept_lines():
    lines = [line for name in sorted(FIXTURES.glob("00*.txt")) for line in name.read_text("utf-8").split("\n") if len(line) > 40]
    body = dedup("\n".join(dict.fromkeys(lines))).text.split("\n")[: COMMON_NGRAM + 20]
    assert len(body) > COMMON_NGRAM + 10
    rng = random.Random(3)
    doc = dedup("\n".join(body + [_edit(line, 0.02, rng) for line in body[-5:]]))
    removed = [c.reason for c in doc.changes if c.after == ""]
    assert len(doc.text.split("\n")) == len(body) and len(removed) == 5
    assert set(removed) <= {"near-copy", "near-copy-in-run"}


def test_anchoring_characters_are_those_of_the_anchor_pattern():
    pattern = in_document._anchor_pattern(1)
    assert all(bool(in_document._ANCHORING[c]) == bool(pattern.findall(chr(c))) for c in range(0x10000) if c != 10)
