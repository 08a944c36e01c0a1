import pytest

import textfix
from textfix import Document, Edit, Pipeline
from textfix.document import Change


def test_apply_records_changes_and_edits_text():
    doc = Document("abc def")
    doc.apply("t", [Edit(4, 7, "xyz", "because"), Edit(0, 1, "A", "cap")])
    assert doc.text == "Abc xyz"
    assert [(c.start, c.before, c.after) for c in doc.changes] == [(0, "a", "A"), (4, "def", "xyz")]


def test_apply_refuses_overlaps():
    doc = Document("abcdef")
    with pytest.raises(ValueError):
        doc.apply("t", [Edit(0, 3, "x", "r"), Edit(2, 4, "y", "r")])


def test_apply_skips_noop_edits():
    doc = Document("abc")
    doc.apply("t", [Edit(0, 1, "a", "same")])
    assert doc.changes == []


class Dropper:
    name = "dropper"

    def __call__(self, doc):
        return None if "drop" in doc.text else doc


def test_pipeline_drops_documents():
    pipe = Pipeline([Dropper()])
    out = list(pipe.run([Document("keep"), Document("drop me"), Document("also keep")]))
    assert [d.text for d in out] == ["keep", "also keep"]


def test_unknown_stage_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown stage"):
        Pipeline(["no-such-stage"])


def test_repair_of_plain_ascii_is_identity():
    assert textfix.repair("plain text\n") == "plain text\n"


def test_record_refuses_changes_that_do_not_produce_the_text():
    doc = Document("头发生了")
    with pytest.raises(ValueError):
        doc.record([Change("script", 0, 1, "头", "頭", "opencc s2t")], "頭發生了吗")
    doc.record([Change("script", 0, 1, "头", "頭", "opencc s2t")], "頭发生了")
    assert doc.text == "頭发生了" and len(doc.changes) == 1
