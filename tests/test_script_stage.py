"""The script and normalize stages: changes recorded, off by default, options."""
import pytest

from textfix.document import Document
from textfix.pipeline import Pipeline, make_stage
from textfix.script.normalize import NormalizeStage
from textfix.script.stage import ScriptStage


def _replay(original: str, doc: Document) -> str:
    """Re-apply the recorded changes (in reverse, they index the stage's input) to the original."""
    text = original
    for change in sorted(doc.changes, key=lambda c: c.start, reverse=True):
        assert text[change.start : change.end] == change.before
        text = text[: change.start] + change.after + text[change.end :]
    return text


def test_script_stage_converts_and_records_every_change():
    original = "前头发生了什么，之后\n他的风采"
    doc = make_stage("script", target="zh-TW")(Document(original))
    assert doc.text == "前頭發生了什麼，之後\n他的風采"
    assert doc.metadata["script"] == "zh-Hans"
    assert all(c.stage == "script" and c.reason == "opencc s2twp" for c in doc.changes)
    assert _replay(original, doc) == doc.text


def test_script_stage_records_one_change_per_changed_clause():
    original = "前头发生了什么，之后\n他的风采"
    doc = ScriptStage(target="zh-TW")(Document(original))
    assert [(c.start, c.end, c.before, c.after) for c in doc.changes] == [
        (1, 7, "头发生了什么", "頭發生了什麼"),
        (9, 10, "后", "後"),
        (13, 14, "风", "風"),
    ]
    # a clause whose length changed is one change too, in order with the others
    doc = ScriptStage(config="s2twp")(Document("这是鼠标，那是U盘。"))
    assert [(c.before, c.after) for c in doc.changes] == [("这是鼠标", "這是滑鼠"), ("U盘", "隨身碟")]


def test_script_stage_leaves_target_script_and_japanese_alone():
    stage = ScriptStage(target="zh-Hans")
    simplified = "这是一篇已经写好的简体中文文章。"
    assert stage(Document(simplified)).changes == []
    japanese = Document("東京から横浜へ行きました。")
    assert ScriptStage(target="zh-Hant")(japanese).changes == []
    assert japanese.metadata["script"] == "ja"


def test_script_stage_batches_a_stream():
    docs = [Document(t) for t in ("头发", "發生", "软件") * 300]
    out = list(ScriptStage(config="s2twp").run(docs))
    assert [d.text for d in out[:3]] == ["頭髮", "發生", "軟體"]
    assert len(out) == 900


def test_script_stage_options_are_checked():
    with pytest.raises(ValueError):
        ScriptStage()
    with pytest.raises(ValueError):
        ScriptStage(target="zh-XX")
    with pytest.raises(ValueError):
        ScriptStage(target="zh-TW", config="s2t")


def test_normalize_does_nothing_by_default():
    text = "Ａ１\u00a0中文(English),\r\n“引用”"
    doc = Pipeline([NormalizeStage()])(Document(text))
    assert doc.text == text and doc.changes == []


@pytest.mark.parametrize(
    "options, before, after",
    [
        ({"unicode": "NFC"}, "cafe\u0301", "café"),
        ({"unicode": "NFKC"}, "ｶﾀｶﾅ①", "カタカナ1"),
        ({"width": True}, "ＡＢＣ１２３＃，。", "ABC123#，。"),
        ({"punctuation": "zh-Hans"}, "中文,好的:是(注释)「引」 ratio 1:2", "中文，好的：是（注释）“引” ratio 1:2"),
        ({"punctuation": "zh-TW"}, "他說“好”，don’t (English)", "他說「好」，don’t (English)"),
        ({"spaces": True}, "a\u00a0b\u2009c\u200bd\u3000e", "a b cd\u3000e"),
        ({"newlines": True}, "a\r\nb\rc\u2028d", "a\nb\nc\nd"),
    ],
)
def test_normalize_options(options, before, after):
    doc = NormalizeStage(**options)(Document(before))
    assert doc.text == after
    assert all(c.stage == "normalize" for c in doc.changes)


def test_normalize_rejects_unknown_options():
    with pytest.raises(ValueError):
        NormalizeStage(unicode="NFD")
    with pytest.raises(ValueError):
        NormalizeStage(punctuation="fr")


def test_engines_convert_a_batch_at_once_with_the_same_result_as_one_by_one():
    from textfix.engines import run_batch

    texts = ["前头发生了什么，之后", "他的風采依舊", "東京から横浜へ行きました。", "", "软件被发明了"] * 3
    pipeline = Pipeline([NormalizeStage(spaces=True), ScriptStage(target="zh-TW")])
    one_by_one = [pipeline(Document(t)) for t in texts]
    batched = run_batch(pipeline, [Document(t) for t in texts])
    assert [d.text for d in batched] == [d.text for d in one_by_one]
    assert [d.changes for d in batched] == [d.changes for d in one_by_one]
    assert batched[0].text == "前頭發生了什麼，之後" and batched[4].text == "軟體被發明了"


def test_a_batch_that_fails_is_retried_one_document_at_a_time():
    from textfix.engines import StageFailure, run_batch

    class Picky:
        name = "picky"

        def run_many(self, docs):
            raise RuntimeError("batch refused")

        def __call__(self, doc):
            if "bad" in doc.text:
                raise ValueError("bad document")
            return doc

    docs = [Document("头发"), Document("bad"), Document("发生")]
    outcomes = run_batch(Pipeline([Picky(), ScriptStage(target="zh-Hant")]), docs)
    assert [o.text if isinstance(o, Document) else o for o in outcomes] == [
        "頭髮",
        StageFailure("ValueError: bad document"),
        "發生",
    ]
