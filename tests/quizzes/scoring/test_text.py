"""short_answer (rubric with wildcards and a negation guard) and rewrite: provisional, needs_review."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizzes.exercises import Criterion, RewriteExercise, Rubric, ShortAnswerExercise
from quizzes.outcome import FeedbackKind, Status
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring import score
from quizzes.scoring.text import find_phrase, fold
from tests.quizzes.scoring.builders import text_span
from tests.quizzes.scoring.support import PACK, TEXT


def short() -> ShortAnswerExercise:
    return ShortAnswerExercise(
        id="sa", skill="funding", title="t", prompt="p", scope=("b1",), points=3, model_answer="m",
        rubric=Rubric(criteria=(
            Criterion(id="funding", description="Names the funding", points=2, concepts=(("fund*", "paid by"), ("developer*",))),
            Criterion(id="source", description="Notes the missing source", points=1, concepts=(("no source", "unsourced", "evidence"),)),
        )),
    )


def rewrite() -> RewriteExercise:
    return RewriteExercise(
        id="rw", skill="framing", title="t", prompt="p", scope=("b1",), points=2,
        target=text_span(TEXT, "The regime lied and the thugs ran away from the calm town today."),
        loaded=("frm-regime", "frm-thugs"), keep=("town", "today"), model_answer="The government lied and the men left the town today.",
    )


@pytest.mark.parametrize(
    ("answer", "phrase", "found"),
    [
        ("It is funded by developers", "fund*", True),
        ("the FUNDING is hidden", "fund*", True),
        ("a fundamentalist", "fund*", True),  # a wildcard ends the word with any letters
        ("refund", "fund*", False),  # whole words only
        ("it is not funded", "fund*", False),
        ("it isn't funded", "fund*", False),
        ("they never said who funded it", "fund*", False),  # "never" is three words before
        ("no one ever said who funded it", "fund*", True),  # "no" is five words before
        ("It is not true. Funded by developers.", "fund*", True),  # negation does not cross a sentence
        ("paid   by the builders", "paid by", True),
        ("Russia’s partners", "russia's partners", True),  # curly apostrophe folds
    ],
)
def test_find_phrase_matches_whole_words_with_wildcards_and_negation(answer, phrase, found):
    assert find_phrase(fold(answer), phrase) is found


def test_short_answer_is_provisional_and_lists_the_criteria_met():
    outcome = score(short(), ShortAnswerResponse(text="The claim is funded by developers, says the text."), PACK)
    assert outcome.status is Status.NEEDS_REVIEW
    assert outcome.earned == outcome.provisional == 2
    criteria = {f.item_id: f.message for f in outcome.feedback if f.kind is FeedbackKind.CRITERION}
    assert criteria == {"funding": "Met: Names the funding", "source": "Not yet met: Notes the missing source"}


def test_short_answer_needs_every_concept_group():
    outcome = score(short(), ShortAnswerResponse(text="It is funded."), PACK)
    assert outcome.provisional == 0 and outcome.status is Status.NEEDS_REVIEW


def test_short_answer_negated_concept_is_not_met():
    outcome = score(short(), ShortAnswerResponse(text="It is not funded by developers."), PACK)
    assert outcome.provisional == 0


def test_short_answer_full_rubric():
    outcome = score(short(), ShortAnswerResponse(text="Developers funded it, and there is no source."), PACK)
    assert outcome.provisional == 3


def test_short_answer_empty_is_zero_and_wordless_is_invalid():
    assert score(short(), ShortAnswerResponse(text="   "), PACK).status is Status.INCORRECT
    invalid = score(short(), ShortAnswerResponse(text="?!…"), PACK)
    assert invalid.status is Status.INVALID and "no words" in invalid.feedback[0].message


def test_rewrite_model_answer_is_provisionally_full():
    outcome = score(rewrite(), RewriteResponse(text="The government lied and the men left the town today."), PACK)
    assert outcome.status is Status.NEEDS_REVIEW and outcome.provisional == 2


def test_rewrite_loaded_terms_must_go_case_insensitively():
    outcome = score(rewrite(), RewriteResponse(text="The REGIME lied and people left the town today."), PACK)
    assert outcome.provisional == Fraction(3, 2)  # 3 of 4 parts: "regime" is still there
    still = [f for f in outcome.feedback if f.kind is FeedbackKind.REWRITE and "still there" in f.message]
    assert [f.item_id for f in still] == ["frm-regime"]


def test_rewrite_kept_facts_must_stay():
    outcome = score(rewrite(), RewriteResponse(text="Someone left."), PACK)
    assert outcome.provisional == 1  # both loaded terms gone, neither fact kept


def test_rewrite_copying_the_original_earns_only_the_kept_facts():
    outcome = score(rewrite(), RewriteResponse(text="The regime lied and the thugs ran away from the calm town today."), PACK)
    assert outcome.provisional == 1


def test_rewrite_empty_and_wordless():
    assert score(rewrite(), RewriteResponse(), PACK).status is Status.INCORRECT
    assert score(rewrite(), RewriteResponse(text="..."), PACK).status is Status.INVALID
