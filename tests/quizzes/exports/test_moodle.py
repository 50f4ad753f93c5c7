"""Moodle XML and GIFT exports: read back and compared with the key and our scoring."""

from __future__ import annotations

import html
import io
import itertools
import re
from fractions import Fraction

from pygiftparser import parser as gift_parser
import pytest
from lxml import etree

from quizzes.bank import Bank
from quizzes.exports.gift import GIFT_SKIPPED_TYPES, gift_escape, gift_text
from quizzes.exports.moodle import cloze_escape, moodle_percent, moodle_xml
from quizzes.exports.moodle import SELECT_ALL_CEILING, wordselect_penalty
from quizzes.responses import MultiChoiceResponse, SingleChoiceResponse
from quizzes.scoring import score
from tests.quizzes.exports.moodle_rules import Pieces, multiresponse_pieces, wordselect_pieces

CLOZE = re.compile(r"\{(\d+):MULTICHOICE:((?:\\.|[^}])*)\}")


def questions(bank: Bank, quiz_id: str, highlight: str = "wordselect") -> dict[str, etree._Element]:
    root = etree.fromstring(moodle_xml(bank, bank.quiz(quiz_id), highlight).text.encode("utf-8"))
    assert root.tag == "quiz"
    assert root[0].get("type") == "category"
    return {q.findtext("idnumber"): q for q in root.findall("question")[1:]}


def moodle_grade(question: etree._Element, chosen: set[str]) -> Fraction:
    """Moodle's multichoice rule: add the selected answers' fractions, clamp to [0, 1], times the grade."""
    fractions = {a.findtext("text"): Fraction(a.get("fraction")) / 100 for a in question.findall("answer")}
    raw = sum((fractions[text] for text in chosen), Fraction(0))
    return min(max(raw, Fraction(0)), Fraction(1)) * Fraction(question.findtext("defaultgrade"))


def cloze_dropdowns(question: etree._Element) -> list[tuple[int, dict[str, Fraction]]]:
    out = []
    for weight, body in CLOZE.findall(question.findtext("questiontext/text")):
        options = {}
        for part in re.split(r"(?<!\\)~", body):
            credit = Fraction(1) if part.startswith("=") else Fraction(0)
            percent = re.match(r"%(-?[\d.]+)%", part)
            if percent:
                credit = Fraction(percent.group(1)) / 100
            text = re.sub(r"^(=|%-?[\d.]+%)", "", part)
            options[html.unescape(text)] = credit
        out.append((int(weight), options))
    return out


def test_moodle_has_one_question_per_exercise_with_the_expected_types(tiny_bank: Bank) -> None:
    found = questions(tiny_bank, "tiny-all")
    assert list(found) == list(tiny_bank.quiz("tiny-all").exercises)
    expected = {
        "t-highlight": "wordselect", "t-label": "cloze", "t-single": "multichoice", "t-multi": "multichoice",
        "t-match": "matching", "t-roles": "cloze", "t-short": "essay", "t-rewrite": "essay",
    }
    assert {k: q.get("type") for k, q in found.items()} == expected


def test_moodle_choice_fractions_give_our_scores_for_every_answer(tiny_bank: Bank) -> None:
    found = questions(tiny_bank, "tiny-all")
    multi = tiny_bank.exercise("t-multi")
    text = {o.id: o.text for o in multi.options}
    assert found["t-multi"].findtext("single") == "false"
    for size in range(len(text) + 1):
        for chosen in itertools.combinations(text, size):
            ours = score(multi, MultiChoiceResponse(choices=chosen), tiny_bank.pack).earned
            assert moodle_grade(found["t-multi"], {text[c] for c in chosen}) == ours
    single = tiny_bank.exercise("t-single")
    assert found["t-single"].findtext("single") == "true"
    for option in single.options:
        ours = score(single, SingleChoiceResponse(choice=option.id), tiny_bank.pack).earned
        assert moodle_grade(found["t-single"], {option.text}) == ours


def test_moodle_matching_keeps_every_pair(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-match")
    question = questions(tiny_bank, "tiny-all")["t-match"]
    pairs = {s.findtext("text"): s.findtext("answer/text") for s in question.findall("subquestion")}
    right = {r.id: r.text for r in exercise.right}
    assert pairs == {left.text: right[exercise.pairs[left.id]] for left in exercise.left}
    # Moodle's "at least 3 answers" rule is in its edit form only; import does not apply it.
    notes = moodle_xml(tiny_bank, tiny_bank.quiz("tiny-all")).notes
    assert not any("t-match" in n for n in notes)


def test_moodle_wordselect_marks_exactly_the_key_with_double_brackets(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-highlight")
    question = questions(tiny_bank, "tiny-all")["t-highlight"]
    assert question.findtext("delimitchars") == "[]"
    body = question.findtext("questiontext/text")
    keys = re.findall(r"\[\[(.+?)\]\]", body)
    assert sorted(keys) == sorted(tiny_bank.pack.annotation.get(i).quote for i in exercise.key)
    singles = re.findall(r"(?<!\[)\[([^\[\]]+)\](?!\])", body)
    assert "said" in singles and len(singles) >= 2 * len(keys)
    plain = re.sub(r"</?p>", "\n", body.replace("[", "").replace("]", "")).split()
    blocks = [tiny_bank.pack.article.block(b) for b in exercise.scope]
    assert plain == " ".join(tiny_bank.pack.article.text[b.start : b.end] for b in blocks).split()


def test_moodle_label_cloze_credits_the_expected_label(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-label")
    dropdowns = cloze_dropdowns(questions(tiny_bank, "tiny-all")["t-label"])
    names = {tiny_bank.pack.glossary.get(tiny_bank.pack.annotation.get(i).labels[0]).name for i in exercise.key}
    right = {name for _, options in dropdowns for name, credit in options.items() if credit == 1}
    assert right == names and len(dropdowns) == len(exercise.key)


def test_moodle_roles_cloze_weights_follow_the_exercise(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-roles")
    roles = tiny_bank.pack.annotation.get(exercise.claim).roles
    dropdowns = cloze_dropdowns(questions(tiny_bank, "tiny-all")["t-roles"])
    assert [next(t for t, c in options.items() if c == 1) for _, options in dropdowns] == [
        roles.source.quote, roles.cue.quote, roles.content.quote,
    ]
    assert [w for w, _ in dropdowns] == [1, 1, 1]


def test_moodle_essay_rubric_is_grader_information(tiny_bank: Bank) -> None:
    found = questions(tiny_bank, "tiny-all")
    for exercise_id in ("t-short", "t-rewrite"):
        exercise = tiny_bank.exercise(exercise_id)
        assert exercise.model_answer in found[exercise_id].findtext("graderinfo/text")
        assert exercise.model_answer not in found[exercise_id].findtext("questiontext/text")


def test_moodle_percent_and_cloze_escape() -> None:
    assert [moodle_percent(Fraction(1, 3)), moodle_percent(Fraction(-1, 2)), moodle_percent(Fraction(0))] == ["33.33333", "-50", "0"]
    assert cloze_escape('a}b#c~d/e"f\\ & <x> {y} 50%=') == 'a&#125;b&#35;c&#126;d/e"f&#92; &#38; &#60;x&#62; &#123;y&#125; 50&#37;&#61;'


def test_moodle_reports_a_fraction_moodle_does_not_offer(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-multi").model_copy(update={"penalty": Fraction(3, 7)})
    bank = Bank(tiny_bank.pack, {**tiny_bank.exercises, "t-multi": exercise}, tiny_bank.quizzes)
    notes = moodle_xml(bank, bank.quiz("tiny-all")).notes
    assert any("t-multi: option c" in n for n in notes)


def test_gift_carries_what_it_can_and_names_what_it_skips(tiny_bank: Bank) -> None:
    export = gift_text(tiny_bank, tiny_bank.quiz("tiny-all"))
    ids = [moodle_gift_idnumber(block) for block in export.text.split("\n\n")[1:]]
    skipped = [e.id for e in tiny_bank.quiz_exercises("tiny-all") if e.type in GIFT_SKIPPED_TYPES]
    assert ids == [e for e in tiny_bank.quiz("tiny-all").exercises if e not in skipped]
    assert [n.split(":")[0] for n in export.notes] == skipped
    assert "~%50%The council budget" in export.text and "~%-50%The headline" in export.text
    assert "=The bridge is safe. -> Named and quoted" in export.text


def moodle_gift_idnumber(block: str) -> str:
    """The ID number Moodle's GIFT importer gives one question: the first ``[id:...]`` token in the
    question's ``//`` comment lines (``qformat_gift::extract_idnumber_and_tags_from_comment``)."""
    comments = "".join(line.strip() + "\n" for line in block.splitlines() if line.strip().startswith("//"))
    found = re.search(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]", comments)
    return found.group(1).strip().replace("\\]", "]") if found else ""


def test_gift_parses_in_pygiftparser_with_moodle_id_numbers(tiny_bank: Bank, shipped_banks: dict[str, Bank]) -> None:
    for bank in [tiny_bank, *shipped_banks.values()]:
        for quiz_id, quiz in bank.quizzes.items():
            text = gift_text(bank, quiz).text
            parsed = gift_parser.parseFile(io.StringIO(text))
            carried = [e for e in bank.quiz_exercises(quiz_id) if e.type not in GIFT_SKIPPED_TYPES]
            assert [q.valid for q in parsed] == [True] * len(carried), quiz_id
            assert [q.title for q in parsed] == [gift_escape(e.title) for e in carried], quiz_id
            assert [moodle_gift_idnumber(q.full) for q in parsed] == [e.id for e in carried], quiz_id


def test_gift_escapes_its_special_characters() -> None:
    assert gift_escape("a:b=c~d#e{f}g\\h\ni") == "a\\:b\\=c\\~d\\#e\\{f\\}g\\\\h\\ni"


def test_moodle_and_gift_export_every_shipped_quiz(shipped_banks: dict[str, Bank]) -> None:
    for bank in shipped_banks.values():
        for quiz_id, quiz in bank.quizzes.items():
            found = questions(bank, quiz_id)
            assert list(found) == list(quiz.exercises)
            for exercise in bank.quiz_exercises(quiz_id):
                if exercise.type == "highlight":
                    keys = re.findall(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}", found[exercise.id].findtext("questiontext/text"))
                    assert keys, exercise.id
            gift_text(bank, quiz)


def highlight_questions(bank: Bank, quiz_id: str) -> list[tuple[str, Pieces]]:
    """Every highlight question of the quiz in both Moodle forms, as Moodle would grade it."""
    out = []
    for form, read in (("wordselect", wordselect_pieces), ("cloze", multiresponse_pieces)):
        found = questions(bank, quiz_id, form)
        out += [(f"{quiz_id}/{e.id}/{form}", read(found[e.id])) for e in bank.quiz_exercises(quiz_id) if e.type == "highlight"]
    return out


def all_highlight_questions(banks: list[Bank]) -> list[tuple[str, Pieces]]:
    return [found for bank in banks for quiz_id in bank.quizzes for found in highlight_questions(bank, quiz_id)]


def test_moodle_highlight_select_everything_earns_at_most_a_fifth(tiny_bank: Bank, shipped_banks: dict[str, Bank]) -> None:
    found = all_highlight_questions([tiny_bank, *shipped_banks.values()])
    assert len(found) >= 2 * 23
    for where, pieces in found:
        everything = set(range(len(pieces.texts)))
        assert pieces.grade(set(pieces.right)) == pytest.approx(1.0), where
        assert pieces.grade(set()) == 0.0, where
        if everything != pieces.right:
            # 1e-9: Moodle computes in floats; 4.8 * 2 / 12 is a hair under 0.8 there.
            assert pieces.grade(everything) <= float(SELECT_ALL_CEILING) + 1e-9, (where, pieces.grade(everything))


def test_moodle_highlight_penalty_is_one_unless_the_scope_is_nearly_all_key(shipped_banks: dict[str, Bank]) -> None:
    penalties = {}
    for bank in shipped_banks.values():
        for quiz_id in bank.quizzes:
            for exercise_id, question in questions(bank, quiz_id).items():
                if question.get("type") == "wordselect":
                    penalties[exercise_id] = Fraction(question.findtext("wordpenalty"))
    highlights = {e for bank in shipped_banks.values() for q in bank.quizzes.values() for e in q.exercises if bank.exercise(e).type == "highlight"}
    assert set(penalties) == highlights
    # Every shipped scope now holds enough technique-free text (lint refuses one that does not),
    # so no question needs a penalty above the plugin's default.
    assert {k: v for k, v in penalties.items() if v != 1} == {}


def test_moodle_wordselect_penalty_rule() -> None:
    assert wordselect_penalty(13, 73) == 1
    assert wordselect_penalty(8, 3) == Fraction(32, 15)
    assert 1 - wordselect_penalty(12, 2) * Fraction(2, 12) == SELECT_ALL_CEILING
    assert wordselect_penalty(5, 0) == 1


def test_moodle_plugin_free_form_uses_only_stock_question_types(tiny_bank: Bank, shipped_banks: dict[str, Bank]) -> None:
    stock = {"category", "multichoice", "matching", "essay", "cloze"}
    for bank in [tiny_bank, *shipped_banks.values()]:
        for quiz_id in bank.quizzes:
            root = etree.fromstring(moodle_xml(bank, bank.quiz(quiz_id), "cloze").text.encode("utf-8"))
            assert {q.get("type") for q in root.findall("question")} <= stock, quiz_id
    question = questions(tiny_bank, "tiny-all", "cloze")["t-highlight"]
    pieces = multiresponse_pieces(question)
    keys = {tiny_bank.pack.annotation.get(i).quote for i in tiny_bank.exercise("t-highlight").key}
    assert {pieces.texts[i].lstrip("=") for i in pieces.right} == keys
    assert "said" in pieces.texts


def test_moodle_cloze_questions_carry_the_id_in_their_name(tiny_bank: Bank) -> None:
    for exercise_id, question in questions(tiny_bank, "tiny-all").items():
        name = question.findtext("name/text")
        title = tiny_bank.exercise(exercise_id).title
        assert name == (f"{title} [{exercise_id}]" if question.get("type") == "cloze" else title)


def test_moodle_cloze_answers_read_back_as_the_article_text(shipped_banks: dict[str, Bank]) -> None:
    """Moodle unescapes only \\} and \\# in Cloze answers; a backslash escape would stay visible."""
    for bank in shipped_banks.values():
        text = bank.pack.article.text
        for quiz_id in bank.quizzes:
            for exercise_id, question in questions(bank, quiz_id, "cloze").items():
                if question.get("type") != "cloze":
                    continue
                if bank.exercise(exercise_id).type == "highlight":
                    answers = list(multiresponse_pieces(question).texts)
                else:
                    answers = [a for _, options in cloze_dropdowns(question) for a in options if a != "No technique here"]
                names = {t.name for t in bank.pack.glossary.techniques}
                assert [a for a in answers if a not in text and a not in names] == [], exercise_id


def test_moodle_wordselect_leaves_contested_items_unselectable() -> None:
    from quizzes.exports.moodle import moodle_xml
    from quizzes.loading import load_shipped_banks

    bank = next(iter(load_shipped_banks().values()))
    assert "frm-01" in bank.quiz("check-a").exercises  # frm-01 marks "offensive" contested
    text = moodle_xml(bank, bank.quiz("check-a")).text
    assert "offensive" in text and not any(f"{a}offensive{b}" in text for a, b in ("[]", "{}"))
