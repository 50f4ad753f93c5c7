"""short_answer (rubric by lemma, negation, echo, length and stuffing guards) and rewrite
(still a rewrite, loaded words and their head words, facts with aliases): provisional, needs_review."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from quizzes.exercises import Criterion, RewriteExercise, Rubric, ShortAnswerExercise
from quizzes.outcome import FeedbackKind, Status
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring import score
from quizzes.scoring.words import date_forms, occurs, tokens
from tests.quizzes.scoring.builders import text_span
from tests.quizzes.scoring.support import PACK, TEXT

TARGET = "The regime lied and the thugs ran away from the calm town today."


def short(**changes) -> ShortAnswerExercise:  # type: ignore[no-untyped-def]
    fields = dict(
        id="sa", skill="funding", title="t", prompt="Why does the text name who paid for the report?", scope=("b1",), points=3,
        model_answer="m", min_words=5,
        rubric=Rubric(criteria=(
            Criterion(id="funding", description="Names the funding", points=2, concepts=(("fund", "funding", "donor"), ("developer",))),
            Criterion(id="source", description="Notes the missing source", points=1, concepts=(("no source", "unsourced", "evidence"),)),
        )),
    )
    fields.update(changes)
    return ShortAnswerExercise(**fields)


def rewrite(**changes) -> RewriteExercise:  # type: ignore[no-untyped-def]
    fields = dict(
        id="rw", skill="framing", title="t", prompt="p", scope=("b1",), points=2,
        target=text_span(TEXT, TARGET), loaded=("frm-regime", "frm-thugs"), keep=("town", "today"),
        model_answer="The government lied and the men left the town today.",
    )
    fields.update(changes)
    return RewriteExercise(**fields)


@pytest.mark.parametrize(
    ("answer", "phrase", "found"),
    [
        ("It is funded by developers", "fund", True),  # word forms by lemma, no wildcard
        ("The FUNDS are hidden", "fund", True),
        ("a fundamentalist", "fund", False),  # a lemma is not a prefix
        ("refund", "fund", False),  # whole words only
        ("they looked up the owner", "look up", True),
        ("it is not funded", "fund", False),
        ("it isn't funded", "fund", False),
        ("they never said who funded it", "fund", False),  # "never" is three words before
        ("no one ever said who funded it", "fund", True),  # "no" is five words before
        ("It is not true. Funded by developers.", "fund", True),  # negation does not cross a sentence
        ("Russia’s partners", "Russia partner", True),  # curly apostrophe, possessive and plural fold
        ("links to the US", "US", True),
        ("connected to us", "US", False),  # an acronym matches its capitals only
        ("several NGOs", "NGO", True),
        ("the rt channel", "RT", False),
    ],
)
def test_phrases_match_word_forms_whole_words_acronyms_and_negation(answer, phrase, found):
    assert occurs(tokens(answer), phrase) is found


def test_date_forms_cover_both_orders():
    forms = date_forms("May 2, 2014")
    assert "2 May 2014" in forms and "May 2 2014" in forms and "2nd of May 2014" in forms and "2014-05-02" in forms
    assert "May 2 2014" in date_forms("2 May 2014")
    assert date_forms("Odessa") == () and date_forms("Maybe 2 2014") == ()


def test_criterion_refuses_wildcards():
    with pytest.raises(ValidationError, match="lemma"):
        Criterion(id="c", description="d", points=1, concepts=(("fund*",),))


def test_short_answer_is_provisional_and_lists_the_criteria_met():
    outcome = score(short(), ShortAnswerResponse(text="The claim is funded by the developers, says the text."), PACK)
    assert outcome.status is Status.NEEDS_REVIEW
    assert outcome.earned == outcome.provisional == 2
    criteria = {f.item_id: f.message for f in outcome.feedback if f.kind is FeedbackKind.CRITERION}
    assert criteria == {"funding": "Met: Names the funding", "source": "Not yet met: Notes the missing source"}


def test_short_answer_needs_every_concept_group():
    outcome = score(short(), ShortAnswerResponse(text="It is funded by somebody, as we are told."), PACK)
    assert outcome.provisional == 0 and outcome.status is Status.NEEDS_REVIEW


def test_short_answer_negated_concept_is_not_met():
    outcome = score(short(), ShortAnswerResponse(text="It is not funded by the developers at all."), PACK)
    assert outcome.provisional == 0


def test_short_answer_full_rubric():
    outcome = score(short(), ShortAnswerResponse(text="The developers funded it, and there is no source for the claim."), PACK)
    assert outcome.provisional == 3


def test_short_answer_echoing_the_prompt_earns_nothing():
    # "paid" is in the prompt: a phrase the question already holds cannot meet a criterion
    exercise = short(rubric=Rubric(criteria=(Criterion(id="paid", description="d", points=1, concepts=(("paid", "donor"),)),)))
    assert score(exercise, ShortAnswerResponse(text="The report was paid for by someone we know."), PACK).provisional == 0
    assert score(exercise, ShortAnswerResponse(text="A donor paid for the report, we are told."), PACK).provisional == 3


def test_short_answer_too_short_is_flagged_not_credited():
    outcome = score(short(min_words=12), ShortAnswerResponse(text="Developers funded it, no source."), PACK)
    assert outcome.status is Status.NEEDS_REVIEW and outcome.provisional == 0
    assert "too few to make the argument" in outcome.feedback[0].message
    assert all(p.earned == 0 for p in outcome.parts)


def test_short_answer_default_minimum_is_a_fifth_of_the_model_answer():
    exercise = short(min_words=None, model_answer=" ".join(["word"] * 80))
    outcome = score(exercise, ShortAnswerResponse(text="The developers funded it and there is no source for it."), PACK)
    assert outcome.provisional == 0 and "at least 16" in outcome.feedback[0].message


def test_short_answer_keyword_list_is_flagged():
    outcome = score(short(), ShortAnswerResponse(text="Funding, developers, donor, evidence, unsourced, proof, money."), PACK)
    assert outcome.provisional == 0 and "list of words" in outcome.feedback[0].message


def test_short_answer_rubric_words_strung_into_sentences_are_flagged():
    outcome = score(short(), ShortAnswerResponse(text="The funding and the donor and the developers and the fund. The evidence is unsourced and the funding of the donor."), PACK)
    assert outcome.provisional == 0 and "almost all words a marker looks for" in outcome.feedback[0].message


def test_short_answer_empty_is_zero_and_wordless_is_invalid():
    assert score(short(), ShortAnswerResponse(text="   "), PACK).status is Status.INCORRECT
    invalid = score(short(), ShortAnswerResponse(text="?!…"), PACK)
    assert invalid.status is Status.INVALID and "no words" in invalid.feedback[0].message


def test_rewrite_model_answer_is_provisionally_full():
    outcome = score(rewrite(), RewriteResponse(text="The government lied and the men left the town today."), PACK)
    assert outcome.status is Status.NEEDS_REVIEW and outcome.provisional == 2
    assert sum(p.earned for p in outcome.parts) == outcome.earned


def test_rewrite_loaded_terms_must_go_case_insensitively():
    outcome = score(rewrite(), RewriteResponse(text="The REGIME lied and the men left the calm town today."), PACK)
    assert outcome.provisional == 1  # half the terms removed: 2 * (1/4 + 1/4)
    still = [f for f in outcome.feedback if f.kind is FeedbackKind.REWRITE and "still there" in f.message]
    assert [f.item_id for f in still] == ["frm-regime"]


def test_rewrite_head_word_counts_as_still_loaded():
    exercise = rewrite(loaded_words={"frm-thugs": ("thug", "hooligan")})
    outcome = score(exercise, RewriteResponse(text="The government lied and the hooligans ran away from the town today."), PACK)
    assert outcome.provisional == 1


def test_rewrite_copying_the_original_earns_nothing():
    outcome = score(rewrite(), RewriteResponse(text=TARGET), PACK)
    assert outcome.provisional == 0 and outcome.status is Status.NEEDS_REVIEW


def test_rewrite_facts_count_in_proportion_to_what_was_rewritten():
    outcome = score(rewrite(), RewriteResponse(text="The government lied and the men ran away from the calm place."), PACK)
    assert outcome.provisional == 1  # everything removed, no fact kept: 2 * (1/2 + 0)


def test_rewrite_facts_match_aliases_dates_and_acronyms_by_case():
    exercise = rewrite(keep=("town", "May 2, 2014", "US"), aliases={"town": ("village",)})
    both = "The government lied, and on 2 May 2014 the men from the US ran away from the calm village."
    assert score(exercise, RewriteResponse(text=both), PACK).provisional == 2
    pronoun = "The government lied, and on 2 May 2014 the men near us ran away from the calm village."
    outcome = score(exercise, RewriteResponse(text=pronoun), PACK)
    assert outcome.provisional == 2 * (Fraction(1, 2) + Fraction(1, 2) * Fraction(2, 3))
    assert any("Keep “US”" in f.message for f in outcome.feedback)


def test_rewrite_that_no_longer_rewrites_the_sentence_is_flagged():
    for text, why in [
        ("Town.", "needs at least"),
        ("Government lied men ran away calm town today.", "list of words"),
        ("People in this place do not like what has happened to them lately.", "content words"),
    ]:
        outcome = score(rewrite(), RewriteResponse(text=text), PACK)
        assert outcome.provisional == 0, text
        assert "does not read as a rewrite" in outcome.feedback[0].message and why in outcome.feedback[0].message, text


def test_rewrite_longer_than_twice_the_target_is_flagged():
    text = "The government lied and the men left the town today. " * 3
    outcome = score(rewrite(), RewriteResponse(text=text), PACK)
    assert outcome.provisional == 0 and "at most 26" in outcome.feedback[0].message


def test_rewrite_refuses_loaded_words_of_items_it_does_not_load():
    with pytest.raises(ValidationError, match="not loaded"):
        rewrite(loaded_words={"frm-other": ("x",)})


def test_rewrite_empty_and_wordless():
    assert score(rewrite(), RewriteResponse(), PACK).status is Status.INCORRECT
    assert score(rewrite(), RewriteResponse(text="..."), PACK).status is Status.INVALID


_WORDS = st.sampled_from(TARGET.replace(".", "").split() + ["government", "men", "left", "not", "US", "us", "fund", "developers", "no", "source", ".", ","])


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30).map(" ".join))
def test_text_scores_stay_in_range_and_parts_add_up(text):
    for exercise, response in ((short(), ShortAnswerResponse(text=text)), (rewrite(), RewriteResponse(text=text))):
        outcome = score(exercise, response, PACK)
        assert 0 <= outcome.earned <= outcome.possible
        if outcome.status is Status.NEEDS_REVIEW:
            assert outcome.provisional == outcome.earned == sum((p.earned for p in outcome.parts), Fraction(0))


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join))
def test_putting_a_loaded_word_back_never_raises_a_rewrite(extra):
    base = "The government lied and the men left the town today."
    worse = f"The regime lied and the men left the town today {extra}."
    better = f"{base[:-1]} {extra}."
    assert score(rewrite(), RewriteResponse(text=worse), PACK).earned <= score(rewrite(), RewriteResponse(text=better), PACK).earned


def test_short_answer_rubric_words_listed_across_criteria_do_not_count():
    listed = "It is about funding, developers, evidence, which is what the text is about."
    assert score(short(), ShortAnswerResponse(text=listed), PACK).provisional == 0
    # phrases of one criterion may stand side by side ("read his arguments and test them")
    same = short(rubric=Rubric(criteria=(Criterion(id="c", description="d", points=1, concepts=(("donor",), ("developer",))),)))
    assert score(same, ShortAnswerResponse(text="The donor and developers are named, not the facts."), PACK).provisional == 3


def test_short_answer_that_repeats_itself_is_flagged():
    outcome = score(short(), ShortAnswerResponse(text="The text is about funding by developers here. " * 3), PACK)
    assert outcome.provisional == 0 and "repeats the same words" in outcome.feedback[0].message


def test_rewrite_must_keep_some_of_the_sentences_own_wording():
    exercise = rewrite(keep=("town today",))
    outcome = score(exercise, RewriteResponse(text="Someone lied; someone ran; someone went away; it was calm in the town today."), PACK)
    assert outcome.provisional == 0 and "none of the sentence's own wording" in outcome.feedback[0].message


def test_rewrite_that_only_deletes_the_loaded_words_is_flagged():
    outcome = score(rewrite(), RewriteResponse(text="The lied and the ran away from the calm town today."), PACK)
    assert outcome.provisional == 0 and "only deletes words" in outcome.feedback[0].message
