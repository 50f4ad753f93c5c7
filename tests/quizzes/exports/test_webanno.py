"""W3C Web Annotation export of the key and of marks, and the import of marks back into responses."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.bank import Bank
from quizzes.grader.reading import read_answers
from quizzes.exports.formats import export_marks, export_quiz
from quizzes.exports.webanno import (
    CONTEXT,
    Submission,
    WebAnnotationInvalid,
    exercise_uri,
    key_collection,
    marks_collection,
    read_marks,
    student_uri,
    text_uri,
)
from quizzes.responses import AttributionRolesResponse, HighlightResponse, LabelSpansResponse, SpanAnswer, SingleChoiceResponse
from quizzes.scoring import score
from tests.conftest import FIXTURES
from tests.quizzes.exports.web_annotation_musts import must_failures


def selectors(annotation: dict) -> dict[str, dict]:
    return {s["type"]: s for s in annotation["target"]["selector"]}


def test_webanno_key_has_both_selectors_pointing_at_the_item(tiny_bank: Bank) -> None:
    pack = tiny_bank.pack
    document = json.loads(json.dumps(key_collection(pack)))  # JSON-serialisable as is
    assert document["@context"] == CONTEXT and document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert len(items) == document["total"] == len(pack.annotation.items)
    for annotation, item in zip(items, pack.annotation.items):
        chosen = selectors(annotation)
        position, quote = chosen["TextPositionSelector"], chosen["TextQuoteSelector"]
        assert (position["start"], position["end"]) == (item.start, item.end)
        assert quote["exact"] == item.quote
        assert pack.article.text[: item.start].endswith(quote["prefix"])
        assert pack.article.text[item.end :].startswith(quote["suffix"])
        assert annotation["target"]["source"] == text_uri(pack)
        labels = [b["value"] for b in annotation["body"] if b["purpose"] == "classifying"]
        assert labels == list(item.labels)
        described = [b["value"] for b in annotation["body"] if b["purpose"] == "describing"]
        assert described == [item.feedback if item.is_foil else item.rationale]
        assert ("foil" in [b["value"] for b in annotation["body"] if b["purpose"] == "tagging"]) == item.is_foil


def test_webanno_key_can_be_limited_to_some_items(tiny_bank: Bank) -> None:
    document = key_collection(tiny_bank.pack, ["frm-gamble", "foil-said"])
    assert [a["id"].rsplit(":", 1)[1] for a in document["first"]["items"]] == ["foil-said", "frm-gamble"]
    with pytest.raises(KeyError):
        key_collection(tiny_bank.pack, ["no-such-item"])


def _submissions() -> list[Submission]:
    return [
        Submission("s1", "t-highlight", HighlightResponse(spans=(SpanAnswer(start=107, end=122), SpanAnswer(start=172, end=186)))),
        Submission("s1", "t-label", LabelSpansResponse(spans=(SpanAnswer(start=43, end=80, label="direct_quote"),))),
        Submission("s2", "t-highlight", HighlightResponse(spans=(SpanAnswer(start=53, end=57),))),
        Submission(
            "s2", "t-roles",
            AttributionRolesResponse(source=SpanAnswer(start=43, end=52), cue=SpanAnswer(start=53, end=57), content=SpanAnswer(start=60, end=79)),
        ),
    ]


def test_webanno_marks_round_trip_into_the_same_responses(tiny_bank: Bank) -> None:
    submissions = _submissions()
    document = json.loads(json.dumps(marks_collection(tiny_bank.pack, submissions)))
    for annotation in document["first"]["items"]:
        assert annotation["creator"]["id"].startswith(student_uri(""))
        assert annotation["target"]["scope"].startswith(exercise_uri(tiny_bank.pack, ""))
    assert read_marks(tiny_bank, document) == submissions


def test_webanno_quote_marks_come_back_as_positions_with_the_same_score(tiny_bank: Bank) -> None:
    by_quote = Submission("s3", "t-highlight", HighlightResponse(spans=(SpanAnswer(exact="reckless gamble"),)))
    [back] = read_marks(tiny_bank, marks_collection(tiny_bank.pack, [by_quote]))
    assert back.response.spans == (SpanAnswer(start=107, end=122),)
    exercise = tiny_bank.exercise("t-highlight")
    assert score(exercise, back.response, tiny_bank.pack).earned == score(exercise, by_quote.response, tiny_bank.pack).earned


def test_webanno_marks_leave_out_answers_without_spans(tiny_bank: Bank) -> None:
    document = marks_collection(tiny_bank.pack, [Submission("s1", "t-single", SingleChoiceResponse(choice="b"))])
    assert document["first"]["items"] == []


def test_webanno_unresolvable_quote_is_kept_as_a_quote_selector(tiny_bank: Bank) -> None:
    odd = Submission("s4", "t-highlight", HighlightResponse(spans=(SpanAnswer(exact="not in the text"),)))
    document = marks_collection(tiny_bank.pack, [odd])
    assert [s["type"] for s in document["first"]["items"][0]["target"]["selector"]] == ["TextQuoteSelector"]
    assert read_marks(tiny_bank, document) == [odd]


def _one_mark(tiny_bank: Bank) -> dict:
    return marks_collection(tiny_bank.pack, _submissions()[:1])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a["target"].update(source="urn:other"), "not this pack's text"),
        (lambda a: a["target"].update(scope=a["target"]["scope"].replace("t-highlight", "nope")), "unknown exercise"),
        (lambda a: a["target"].update(scope=a["target"]["scope"].replace("t-highlight", "t-single")), "has no spans"),
        (lambda a: a["target"].update(selector=[]), "no TextPositionSelector"),
        (lambda a: a["target"].update(selector=[{"type": "TextPositionSelector", "start": 9}]), "incomplete"),
        (lambda a: a["target"].update(selector=[{"type": "TextPositionSelector", "start": -1, "end": 3}]), "invalid"),
        (lambda a: a.pop("creator"), "creator"),
        (lambda a: a.pop("target"), "needs a target"),
    ],
)
def test_webanno_bad_marks_fail_with_a_clear_message(tiny_bank: Bank, edit, message: str) -> None:
    document = _one_mark(tiny_bank)
    edit(document["first"]["items"][0])
    with pytest.raises(WebAnnotationInvalid, match=message):
        read_marks(tiny_bank, document)


def test_webanno_not_a_collection_is_rejected(tiny_bank: Bank) -> None:
    with pytest.raises(WebAnnotationInvalid, match="AnnotationCollection"):
        read_marks(tiny_bank, {"type": "Something"})


def test_webanno_role_marked_twice_is_rejected(tiny_bank: Bank) -> None:
    document = marks_collection(tiny_bank.pack, _submissions()[3:])
    items = document["first"]["items"]
    items[1]["body"][0]["value"] = "source"
    with pytest.raises(WebAnnotationInvalid, match="marked twice"):
        read_marks(tiny_bank, document)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 220), st.integers(1, 60), st.sampled_from(["direct_quote", "vague_source", "unattributed"])), max_size=6))
def test_webanno_any_position_marks_round_trip(tiny_bank: Bank, spans: list[tuple[int, int, str]]) -> None:
    length = len(tiny_bank.pack.article.text)
    answers = tuple(SpanAnswer(start=s, end=min(s + n, length), label=label) for s, n, label in spans if s < length)
    if not answers:
        return
    submission = Submission("s9", "t-label", LabelSpansResponse(spans=answers))
    assert read_marks(tiny_bank, marks_collection(tiny_bank.pack, [submission])) == [submission]


def test_webanno_shipped_key_selectors_match_the_text(shipped_banks: dict[str, Bank]) -> None:
    for bank in shipped_banks.values():
        text = bank.pack.article.text
        for annotation in key_collection(bank.pack)["first"]["items"]:
            chosen = selectors(annotation)
            position = chosen["TextPositionSelector"]
            assert text[position["start"] : position["end"]] == chosen["TextQuoteSelector"]["exact"]


def _class_marks(tiny_bank: Bank) -> dict:
    records = read_answers(FIXTURES / "grading" / "class.jsonl")
    return json.loads(export_marks(tiny_bank, None, records).content)


def test_webanno_every_export_meets_the_model_musts(tiny_bank: Bank, shipped_banks: dict[str, Bank]) -> None:
    documents = {"tiny key": key_collection(tiny_bank.pack), "tiny marks": _class_marks(tiny_bank)}
    for bank in shipped_banks.values():
        documents[f"{bank.pack.id} key"] = key_collection(bank.pack)
        for quiz_id in bank.quizzes:
            documents[f"{quiz_id} key"] = json.loads(export_quiz(bank, quiz_id, "webanno").content)
    assert len(documents["tiny marks"]["first"]["items"]) == 18
    assert {name: must_failures(document) for name, document in documents.items()} == {name: [] for name in documents}


def test_webanno_must_rules_catch_what_the_w3c_suite_caught(tiny_bank: Bank) -> None:
    """The two defects the W3C suite found in earlier exports: an empty body list, no ids."""
    document = _class_marks(tiny_bank)
    document["first"]["items"][0]["body"] = []
    assert any("body" in failure for failure in must_failures(document))
    for where in (document, document["first"]):
        del where["id"]
    failures = must_failures(document)
    assert any(f.startswith("(document): 'id'") for f in failures) and any(f.startswith("first: 'id'") for f in failures)


def test_webanno_highlight_marks_have_no_body_and_collections_have_ids(tiny_bank: Bank) -> None:
    document = marks_collection(tiny_bank.pack, _submissions(), quiz_id="tiny-all")
    assert document["id"] == "urn:medialit:tiny:marks:tiny-all" and document["first"]["id"] == "urn:medialit:tiny:marks:tiny-all:page:1"
    highlights = [a for a in document["first"]["items"] if a["target"]["scope"].endswith(":t-highlight")]
    assert highlights and all("body" not in a and a["motivation"] == "highlighting" for a in highlights)
    assert key_collection(tiny_bank.pack)["id"] == "urn:medialit:tiny:key"
