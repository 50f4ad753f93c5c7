"""SemEval exports of the master key: TSV round trip, JSON fragments and paragraph labels."""

from __future__ import annotations

import dataclasses
import json

import pytest

from quizzes.bank import Bank
from quizzes.exports.formats import export_quiz
from quizzes.exports.semeval import INVENTORIES, TO_TASK, read_tsv, semeval_key, write_json, write_paragraphs, write_tsv


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


FORM_TASK = {"tsv": "2020-11", "json": "2021-6", "paragraphs": "2023-3"}


def emitted_names(content: bytes, form: str) -> set[str]:
    text = content.decode("utf-8")
    if form == "json":
        return {label["technique"] for record in json.loads(text) for label in record["labels"]}
    if form == "tsv":
        return {technique for _, technique, _, _ in read_tsv(text)}
    return {name for line in text.splitlines() for name in line.split("\t")[2].split(",") if name}


def test_semeval_tables_map_into_each_tasks_official_inventory() -> None:
    assert [len(INVENTORIES[t]) for t in ("2020-11", "2021-6", "2023-3")] == [14, 20, 23]
    for task, table in TO_TASK.items():
        assert set(table) <= set(INVENTORIES["2023-3"]) | {"Reductio_ad_hitlerum"}, task
        assert {name for name in table.values() if name} <= set(INVENTORIES[task]), task


@pytest.mark.parametrize("form", sorted(FORM_TASK))
def test_semeval_exports_use_only_the_official_names_of_their_task(form: str, tiny_bank: Bank, shipped_banks: dict[str, Bank]) -> None:
    inventory = set(INVENTORIES[FORM_TASK[form]])
    for bank in [tiny_bank, *shipped_banks.values()]:
        for quiz_id in [None, *bank.quizzes]:
            names = emitted_names(export_quiz(bank, quiz_id, "semeval", form).content, form)
            assert names <= inventory, (bank.pack.id, quiz_id, names - inventory)
    shipped = emitted_names(export_quiz(shipped_banks["central-asia-2022"], None, "semeval", form).content, form)
    assert len(shipped) >= 7


def test_semeval_every_glossary_label_has_a_2023_name(shipped_banks: dict[str, Bank], tiny_bank: Bank) -> None:
    for bank in [tiny_bank, *shipped_banks.values()]:
        labels = {t.semeval_label for t in bank.pack.glossary.techniques if t.semeval_label}
        assert labels <= set(TO_TASK["2023-3"]), labels - set(TO_TASK["2023-3"])


def test_semeval_2020_names_and_what_2020_has_no_name_for(tiny_bank: Bank) -> None:
    key = semeval_key(tiny_bank.pack, task="2020-11")
    assert {s.technique for s in key.spans} == {
        "Doubt", "Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation", "Bandwagon,Reductio_ad_hitlerum",
    }
    pack = tiny_bank.pack
    relabelled = tuple(
        t.model_copy(update={"semeval_label": "Questioning_the_Reputation"}) if t.id == "funding_discredit" else t
        for t in pack.glossary.techniques
    )
    reputation = dataclasses.replace(pack, glossary=pack.glossary.model_copy(update={"techniques": relabelled}))
    skipped = semeval_key(reputation, task="2020-11").skipped
    assert "fun-developers (funding_discredit): no SemEval-2020-11 name for Questioning_the_Reputation" in skipped
    assert {s.technique for s in semeval_key(reputation, task="2021-6").spans} >= {"Smears"}
