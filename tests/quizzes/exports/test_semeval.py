"""SemEval exports of the master key: TSV round trip, JSON fragments and paragraph labels."""

from __future__ import annotations

import json

import pytest

from quizzes.bank import Bank
from quizzes.exports.semeval import read_tsv, semeval_key, write_json, write_paragraphs, write_tsv


def test_semeval_key_uses_each_techniques_label_and_reports_the_rest(tiny_bank: Bank) -> None:
    key = semeval_key(tiny_bank.pack)
    found = {(s.item_id, s.technique) for s in key.spans}
    assert found == {
        ("frm-saves", "Doubt"),
        ("frm-gamble", "Loaded_Language"),
        ("frm-gamble", "Name_Calling-Labeling"),
        ("frm-everyone", "Exaggeration-Minimisation"),
        ("fun-developers", "Guilt_by_Association"),
    }
    assert [s.split(" ")[0] for s in key.skipped] == ["att-mayor", "att-reports", "fct-cost", "att-everyone"]  # text order
    assert "foil-said" not in {s.item_id for s in key.spans} | {s.split(" ")[0] for s in key.skipped}


def test_semeval_tsv_round_trips(tiny_bank: Bank) -> None:
    key = semeval_key(tiny_bank.pack, article_id="111")
    rows = read_tsv(write_tsv(key))
    assert rows == [("111", s.technique, s.start, s.end) for s in key.spans]
    text = tiny_bank.pack.article.text
    for _, _, start, end in rows:
        assert text[start:end] in {i.quote for i in tiny_bank.pack.annotation.items}


def test_semeval_key_for_some_items(tiny_bank: Bank) -> None:
    key = semeval_key(tiny_bank.pack, ["frm-gamble", "att-mayor"])
    assert {s.item_id for s in key.spans} == {"frm-gamble"} and len(key.skipped) == 1
    with pytest.raises(KeyError):
        semeval_key(tiny_bank.pack, ["missing"])


@pytest.mark.parametrize(
    ("text", "message"),
    [("a\tb\t1\n", "4 tab-separated"), ("a\tb\tx\t2\n", "whole numbers"), ("a\tb\t5\t2\n", "start < end")],
)
def test_semeval_read_tsv_rejects_bad_lines(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_tsv(text)


def test_semeval_json_fragments_are_the_text_at_the_offsets(tiny_bank: Bank) -> None:
    key = semeval_key(tiny_bank.pack)
    [record] = json.loads(write_json(key, tiny_bank.pack))
    assert record["id"] == "tiny" and record["text"] == tiny_bank.pack.article.text
    assert len(record["labels"]) == len(key.spans)
    for label in record["labels"]:
        assert record["text"][label["start"] : label["end"]] == label["text_fragment"]


def test_semeval_paragraph_labels_follow_the_lines(tiny_bank: Bank) -> None:
    lines = [line.split("\t") for line in write_paragraphs(semeval_key(tiny_bank.pack), tiny_bank.pack).splitlines()]
    article_lines = tiny_bank.pack.article.text.split("\n")
    assert [int(n) for _, n, _ in lines] == [i + 1 for i, line in enumerate(article_lines) if line.strip()]
    by_line = {int(n): labels for _, n, labels in lines}
    assert by_line[3] == "Doubt"  # the headline's scare quotes
    assert set(by_line[5].split(",")) == {"Loaded_Language", "Name_Calling-Labeling"}


def test_semeval_shipped_key_round_trips(shipped_banks: dict[str, Bank]) -> None:
    for bank in shipped_banks.values():
        key = semeval_key(bank.pack)
        assert key.spans, f"{bank.pack.id}: no item has a SemEval label"
        rows = read_tsv(write_tsv(key))
        assert rows == [(bank.pack.id, s.technique, s.start, s.end) for s in key.spans]
        labels = {t.semeval_label for t in bank.pack.glossary.techniques if t.semeval_label}
        assert {technique for _, technique, _, _ in rows} <= labels
