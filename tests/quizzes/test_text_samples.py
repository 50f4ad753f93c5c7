"""The shipped pack's text exercises against their sample answers, scored as a teacher scored them.

Every ``short_answer`` and ``rewrite`` keeps at least eight sample answers (strong, partial, weak,
off-topic, keyword-stuffed) with the teacher's score. The engine's provisional scores must order
them as the teacher does (never a higher provisional score for an answer the teacher scores
lower), stay within a third of the points of the teacher's score, and give off-topic and
keyword-stuffed answers at most a third of the points. Model answers earn full provisional points.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest

from quizzes.exercises import REVIEWED_TYPES, RewriteExercise, SampleKind, ShortAnswerExercise
from quizzes.loading import load_shipped_banks
from quizzes.outcome import Status
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring import score_unfiltered

BANKS = list(load_shipped_banks().values())
TEXT_EXERCISES = [(bank, e) for bank in BANKS for e in bank.exercises.values() if e.type in REVIEWED_TYPES]


def _provisional(bank, exercise, text: str) -> Fraction:  # type: ignore[no-untyped-def]
    response = ShortAnswerResponse(text=text) if isinstance(exercise, ShortAnswerExercise) else RewriteResponse(text=text)
    outcome = score_unfiltered(exercise, response, bank.pack)
    assert outcome.status is Status.NEEDS_REVIEW
    return outcome.earned


def _ids(item) -> str:  # type: ignore[no-untyped-def]
    return item[1].id


def test_the_pack_has_text_exercises_of_both_types():
    assert {e.type for _, e in TEXT_EXERCISES} == {"short_answer", "rewrite"}


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_every_text_exercise_keeps_eight_samples_of_every_kind(item):
    _, exercise = item
    assert len(exercise.samples) >= 8
    assert {s.kind for s in exercise.samples} == set(SampleKind)


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_model_answer_passes_its_own_exercise(item):
    bank, exercise = item
    assert _provisional(bank, exercise, exercise.model_answer) == exercise.points


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_provisional_scores_order_the_samples_as_the_teacher_does(item):
    bank, exercise = item
    scored = [(s, _provisional(bank, exercise, s.text)) for s in exercise.samples]
    inversions = [
        (a.text[:50], a.score, got_a, b.text[:50], b.score, got_b)
        for (a, got_a), (b, got_b) in combinations(scored, 2)
        if (a.score - b.score) * (got_a - got_b) < 0
    ]
    assert inversions == []
    far = [(s.text[:50], s.score, got) for s, got in scored if abs(got - s.score) > Fraction(exercise.points, 3)]
    assert far == []


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_off_topic_and_keyword_stuffed_samples_earn_at_most_a_third(item):
    bank, exercise = item
    gamed = [s for s in exercise.samples if s.kind in (SampleKind.OFF_TOPIC, SampleKind.KEYWORD_STUFFED)]
    assert gamed
    for sample in gamed:
        assert _provisional(bank, exercise, sample.text) <= Fraction(exercise.points, 3), sample.text


ISSUE_EXAMPLES = [
    ("frm-16", "Russia."),
    ("att-15", "He is an expert and gives his view. You should look at the government."),
    ("frm-15", "Yes, it is strong. The article says operation. A fair reader reads it."),
]


@pytest.mark.parametrize(("exercise_id", "text"), ISSUE_EXAMPLES)
def test_the_gamed_answers_of_issue_10_are_samples_and_earn_nothing(exercise_id, text):
    bank, exercise = next((b, e) for b, e in TEXT_EXERCISES if e.id == exercise_id)
    assert text in {s.text for s in exercise.samples}
    assert _provisional(bank, exercise, text) == 0


def _exercise(exercise_id: str):  # type: ignore[no-untyped-def]
    return next((b, e) for b, e in TEXT_EXERCISES if e.id == exercise_id)


def test_frm17_the_pronoun_us_does_not_keep_the_fact_us():
    bank, exercise = _exercise("frm-17")
    good = "Regional media outlets, which the article does not name, said that all the people campaigning against the war have links to the US, NATO countries or Ukraine."
    pronoun = good.replace("the US", "us")
    assert _provisional(bank, exercise, good) == 2
    assert _provisional(bank, exercise, pronoun) < 2
    assert any("connected to us" in s.text for s in exercise.samples)


def test_frm18_accepts_either_date_order_and_either_spelling_but_not_the_head_word():
    bank, exercise = _exercise("frm-18")
    assert isinstance(exercise, RewriteExercise)
    for text in ("Ergashev was referring to the deaths of 48 people in Odesa on 2 May 2014.",
                 "Ergashev was referring to the deaths of 48 people in Odessa on May 2, 2014."):
        assert _provisional(bank, exercise, text) == 2, text
    assert _provisional(bank, exercise, "Ergashev was referring to the massacre of 48 people in Odessa on 2 May 2014.") == 0


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_echoing_the_question_or_copying_the_sentence_earns_nothing(item):
    bank, exercise = item
    copied = exercise.prompt if isinstance(exercise, ShortAnswerExercise) else exercise.target.quote
    assert _provisional(bank, exercise, copied) == 0
    if isinstance(exercise, ShortAnswerExercise):  # the prompt twice, to pass the length check
        assert _provisional(bank, exercise, f"{exercise.prompt} {exercise.prompt}") == 0


def _gaming_answers(bank, exercise) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Answers a student could write to score without reading, built from the exercise itself."""
    answers = {"the prompt": exercise.prompt, "the prompt twice": f"{exercise.prompt} {exercise.prompt}"}
    if isinstance(exercise, ShortAnswerExercise):
        phrases = [p for c in exercise.rubric.criteria for g in c.concepts for p in g]
        firsts = [g[0] for c in exercise.rubric.criteria for g in c.concepts]
        answers |= {
            "every rubric phrase, listed": ", ".join(phrases) + ".",
            "every rubric phrase, chained": "The " + " and the ".join(phrases) + ".",
            "one phrase per concept in a frame": "I think that the answer is about " + ", ".join(firsts)
                                                 + ", because the article says so and a reader should see it.",
            "one phrase per concept, padded": " ".join(f"The article is about {p} in this case." for p in firsts) * 2,
        }
    else:
        cut = exercise.target.quote
        for item_id in exercise.loaded:
            cut = cut.replace(bank.pack.annotation.get(item_id).quote, "")
        answers |= {
            "the sentence unchanged": exercise.target.quote,
            "the loaded words deleted": " ".join(cut.split()),
            "the facts in a frame": "The sentence says that " + ", ".join(exercise.keep) + " are in it and it is about the events.",
            "the facts listed": ", ".join(exercise.keep) + ".",
        }
    return answers


@pytest.mark.parametrize("item", TEXT_EXERCISES, ids=_ids)
def test_no_gaming_strategy_earns_more_than_a_third(item):
    bank, exercise = item
    earned = {name: _provisional(bank, exercise, text) for name, text in _gaming_answers(bank, exercise).items()}
    assert {name: got for name, got in earned.items() if got > Fraction(exercise.points, 3)} == {}
