"""grade_submission: quiz totals, per-skill totals, reviews, certainty and balanced-accuracy discernment."""

from __future__ import annotations

from fractions import Fraction

import pytest

from lesson.errors import NotFound
from quizzes.bank import Bank, Quiz
from quizzes.submission import UnknownExercise, grade_submission
from quizzes.outcome import Review, Status
from quizzes.responses import HighlightResponse, ShortAnswerResponse, SingleChoiceResponse
from tests.quizzes.scoring.support import PACK, highlight, quotes
from tests.quizzes.scoring.test_choice import single
from tests.quizzes.scoring.test_text import short

WHOLE = PACK.article.text[PACK.article.block("b1").start:PACK.article.block("b1").end]


def bank(policy: str = "full") -> Bank:
    exercises = {e.id: e for e in (highlight(feedback_policy=policy), single(), short())}
    quiz = Quiz(id="q", title="Quiz", kind="practice", exercises=("h", "s", "sa"))
    return Bank(pack=PACK, exercises=exercises, quizzes={"q": quiz})


def test_totals_and_per_skill_totals():
    result = grade_submission(bank(), "q", {"h": quotes("regime", "thugs"), "s": SingleChoiceResponse(choice="a")})
    assert (result.earned, result.possible) == (3, 8)
    assert {t.skill: (t.earned, t.possible) for t in result.by_skill} == {"framing": (3, 3), "funding": (0, 5)}
    assert [o.exercise_id for o in result.outcomes] == ["h", "s", "sa"]


def test_unanswered_exercises_score_zero_not_invalid():
    result = grade_submission(bank(), "q", {})
    assert [o.status for o in result.outcomes] == [Status.INCORRECT] * 3
    assert result.invalid == 0 and result.earned == 0


def test_needs_review_is_counted_and_reviews_apply():
    submission = {"sa": ShortAnswerResponse(text="The claim is funded by the developers, says the text.")}
    assert grade_submission(bank(), "q", submission).needs_review == 1
    reviewed = grade_submission(bank(), "q", submission, reviews={"sa": Review(earned=Fraction(3))})
    assert reviewed.needs_review == 0 and reviewed.earned == 3


def test_certainty_marks_are_totalled_when_given():
    result = grade_submission(bank(), "q", {"s": SingleChoiceResponse(choice="b", certainty=3)})
    assert result.certainty_mark == 6
    assert grade_submission(bank(), "q", {}).certainty_mark is None


def test_discernment_hand_vector():
    # "regime" found, "thugs" missed: sensitivity 1/2. The foil is marked and 4 of the 241
    # technique-free code points ("calm"): free = 4/241.
    # specificity = (0 foils left alone + 237/241) / (1 foil + 1 text unit) = 237/482.
    # balanced accuracy = (1/2 + 237/482) / 2 = 239/482.
    result = grade_submission(bank(), "q", {"h": quotes("regime", "calm")})
    d = result.discernment
    assert (d.hits, d.misses, d.false_alarms, d.foils_marked, d.foils_total) == (1, 1, 1, 1, 1)
    assert (d.sensitivity, d.specificity, d.balanced_accuracy) == (Fraction(1, 2), Fraction(237, 482), Fraction(239, 482))


def test_flagging_everything_is_chance_level_discernment():
    flag_all = grade_submission(bank(), "q", {"h": quotes(WHOLE)}).discernment
    nothing = grade_submission(bank(), "q", {"h": HighlightResponse()}).discernment
    perfect = grade_submission(bank(), "q", {"h": quotes("regime", "thugs")}).discernment
    assert flag_all.balanced_accuracy == nothing.balanced_accuracy == Fraction(1, 2)
    assert perfect.balanced_accuracy == 1


def test_discernment_uses_full_counts_even_when_the_policy_hides_them():
    result = grade_submission(bank("none"), "q", {"h": quotes("regime", "thugs")})
    assert result.outcomes[0].counts is None and result.outcomes[0].feedback == ()
    assert result.discernment.balanced_accuracy == 1


def test_no_span_exercise_means_no_discernment():
    b = bank()
    only_choice = Bank(pack=b.pack, exercises=b.exercises, quizzes={"c": Quiz(id="c", title="C", kind="practice", exercises=("s",))})
    assert grade_submission(only_choice, "c", {}).discernment is None


def test_answers_outside_the_quiz_and_unknown_quizzes_are_errors():
    with pytest.raises(UnknownExercise, match="'nope'"):
        grade_submission(bank(), "q", {"nope": SingleChoiceResponse(choice="a")})
    with pytest.raises(NotFound, match="no quiz 'zz'"):
        grade_submission(bank(), "zz", {})
