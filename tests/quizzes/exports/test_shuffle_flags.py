"""QTI, Moodle XML and GIFT say that options shuffle, and keep pinned options in place where they can."""

from __future__ import annotations

from lxml import etree

from quizzes.bank import Bank
from quizzes.exercises import MultiChoiceExercise
from quizzes.exports.gift import gift_text
from quizzes.exports.moodle import moodle_xml
from quizzes.exports.qti import qti_item
from tests.quizzes.exports.qti_reading import NS, q
from tests.quizzes.exports.test_moodle import questions
from tests.quizzes.exports.test_qti import check_item


def _pinned_bank(tiny_bank: Bank, option_id: str = "c") -> Bank:
    multi = tiny_bank.exercise("t-multi")
    assert isinstance(multi, MultiChoiceExercise)
    options = tuple(o.model_copy(update={"pinned": o.id == option_id}) for o in multi.options)
    return Bank(tiny_bank.pack, {**tiny_bank.exercises, "t-multi": multi.model_copy(update={"options": options})}, tiny_bank.quizzes)


def test_qti_choice_and_match_interactions_shuffle(tiny_bank: Bank) -> None:
    for exercise_id in ("t-single", "t-multi"):
        item = etree.fromstring(qti_item(tiny_bank.exercise(exercise_id), tiny_bank.pack)[0])
        check_item(item)
        interaction = item.find(".//q:qti-choice-interaction", NS)
        assert interaction.get("shuffle") == "true"
        assert all(c.get("fixed") is None for c in interaction.iter(q("qti-simple-choice")))
    item = etree.fromstring(qti_item(tiny_bank.exercise("t-match"), tiny_bank.pack)[0])
    check_item(item)
    assert item.find(".//q:qti-match-interaction", NS).get("shuffle") == "true"
    rows, options = item.findall(".//q:qti-simple-match-set", NS)
    assert {c.get("fixed") for c in rows} == {"true"}  # the rows keep their order, only the right column moves
    assert {c.get("fixed") for c in options} == {None}


def test_qti_pinned_choice_is_fixed(tiny_bank: Bank) -> None:
    bank = _pinned_bank(tiny_bank)
    item = etree.fromstring(qti_item(bank.exercise("t-multi"), bank.pack)[0])
    check_item(item)
    interaction = item.find(".//q:qti-choice-interaction", NS)
    assert interaction.get("shuffle") == "true"
    assert {c.get("identifier"): c.get("fixed") for c in interaction.iter(q("qti-simple-choice"))} == {"C_a": None, "C_b": None, "C_c": "true"}


def test_qti_nothing_to_shuffle_when_all_but_one_are_pinned(tiny_bank: Bank) -> None:
    multi = tiny_bank.exercise("t-multi")
    options = tuple(o.model_copy(update={"pinned": o.id != "a"}) for o in multi.options)  # type: ignore[union-attr]
    item = etree.fromstring(qti_item(multi.model_copy(update={"options": options}), tiny_bank.pack)[0])
    assert item.find(".//q:qti-choice-interaction", NS).get("shuffle") == "false"


def test_moodle_shuffles_answers_unless_an_option_is_pinned(tiny_bank: Bank) -> None:
    found = questions(tiny_bank, "tiny-all")
    assert {k: found[k].findtext("shuffleanswers") for k in ("t-single", "t-multi", "t-match")} == {"t-single": "1", "t-multi": "1", "t-match": "1"}
    bank = _pinned_bank(tiny_bank)
    assert questions(bank, "tiny-all")["t-multi"].findtext("shuffleanswers") == "0"
    assert any(n.startswith("t-multi: Moodle cannot keep c in place") for n in moodle_xml(bank, bank.quiz("tiny-all")).notes)


def test_gift_names_pinned_options_it_cannot_keep_in_place(tiny_bank: Bank) -> None:
    assert not any("in place" in n for n in gift_text(tiny_bank, tiny_bank.quiz("tiny-all")).notes)
    bank = _pinned_bank(tiny_bank)
    assert any(n.startswith("t-multi: GIFT cannot keep c in place") for n in gift_text(bank, bank.quiz("tiny-all")).notes)
