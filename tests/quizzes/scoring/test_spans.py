"""Hand-computed vectors for ``highlight`` and ``label_spans`` (the same numbers as docs/scoring.md).

The scope is paragraph b1: "The regime lied and the thugs ran away from the calm town today." and
seven short sentences without a technique ("Rain fell on roofs all night." ...), 269 code points
once trimmed to words. Key: "regime" (alternative boundary "The regime") and "thugs"; foil:
"calm". Key region 15 code points ("The regime" + "thugs"); tolerance margins outside it: " lied"
(5), "the " (4), " ran" (4); technique-free text: 269 - 15 - 13 = 241 code points. The longest
sentence is the first, 63 code points, so the false-marking budget is
max(5/4 x 15, 7/2 x 63) = 441/2 code points.
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.outcome import FeedbackKind, Status
from quizzes.responses import HighlightResponse, SpanAnswer
from quizzes.scoring import score, score_unfiltered
from tests.quizzes.scoring.support import PACK, at, highlight, label_spans, labelled, quotes


def test_highlight_exact_key_earns_full_points():
    outcome = score(highlight(), quotes("regime", "thugs"), PACK)
    assert (outcome.status, outcome.earned, outcome.possible) == (Status.CORRECT, 3, 3)
    assert outcome.counts.hits == 2 and outcome.counts.misses == 0 and outcome.counts.false_alarms == 0


def test_highlight_empty_answer_scores_zero():
    outcome = score(highlight(), HighlightResponse(), PACK)
    assert (outcome.status, outcome.earned) == (Status.INCORRECT, 0)
    assert outcome.counts.misses == 2


def test_highlight_hand_vector_partial_answer():
    # "regime lied and": "regime" found, " lied" tolerated (one word past the key), " and" false.
    # R = (1 + 0) / 2 = 1/2; false = 4, penalty = 4 / (441/2) = 8/441;
    # ratio = 1/2 * 433/441 = 433/882; earned = 3 * 433/882 = 433/294.
    outcome = score(highlight(), quotes("regime lied and"), PACK)
    assert outcome.measures.precision == Fraction(3, 5)  # reported as SemEval-2020 defines it
    assert outcome.measures.recall == Fraction(1, 2)
    assert outcome.measures.f1 == Fraction(6, 11)
    assert outcome.earned == Fraction(433, 294)
    assert outcome.status is Status.PARTIAL


def test_highlight_one_extra_sentence_costs_a_share_of_the_budget():
    # The first sentence marked whole: R = 1, false = 35 (its technique-free words), penalty = 70/441.
    outcome = score(highlight(), quotes("The regime lied and the thugs ran away from the calm town today."), PACK)
    assert outcome.measures.recall == 1
    assert outcome.earned == 3 * Fraction(371, 441)  # 53/21, about 2.52 of 3
    assert outcome.earned >= Fraction(7, 10) * outcome.possible


def test_highlight_whole_scope_scores_at_most_a_fifth():
    # All 241 technique-free code points marked, more than the budget of 441/2: ratio 0.
    whole = PACK.article.text[PACK.article.block("b1").start:PACK.article.block("b1").end]
    outcome = score(highlight(), quotes(whole), PACK)
    assert outcome.measures.recall == 1
    assert outcome.counts.free_marked == 1
    assert outcome.earned <= Fraction(1, 5) * outcome.possible
    assert outcome.earned == 0


def test_highlight_one_word_too_many_on_each_side_keeps_at_least_80_percent():
    outcome = score(highlight(), quotes("The regime lied", "the thugs ran"), PACK)
    assert outcome.earned >= Fraction(4, 5) * outcome.possible
    assert outcome.earned == outcome.possible  # the margins are tolerated, not rewarded


def test_highlight_two_words_too_many_costs_precision():
    outcome = score(highlight(), quotes("regime lied and", "thugs"), PACK)
    assert outcome.measures.precision == Fraction(11, 15)  # (6 + 5) / (10 + 5)
    assert outcome.ratio == 1 - Fraction(4, 1) / Fraction(441, 2)  # " and" is 4 false code points


def test_highlight_marking_a_foil_returns_its_feedback_and_counts_a_false_alarm():
    # R = 1; "calm" is 4 false code points: ratio = 1 - 4 / (441/2) = 433/441.
    outcome = score(highlight(), quotes("regime", "thugs", "calm"), PACK)
    assert outcome.counts.false_alarms == 1 and outcome.counts.foils_marked == 1 and outcome.counts.foils_total == 1
    foil = [f for f in outcome.feedback if f.kind is FeedbackKind.FOIL]
    assert [f.message for f in foil] == ["Calm describes the town; it does not judge anyone."]
    assert foil[0].quote == "calm" and foil[0].item_id == "foil-calm"
    assert outcome.ratio == Fraction(433, 441)


def test_highlight_false_alarm_outside_foils_is_counted_and_shown():
    outcome = score(highlight(), quotes("regime", "thugs", "town"), PACK)
    assert outcome.counts.false_alarms == 1 and outcome.counts.foils_marked == 0
    extra = [f for f in outcome.feedback if f.kind is FeedbackKind.EXTRA]
    assert [f.quote for f in extra] == ["town"]


def test_highlight_alternative_boundary_counts_as_well_as_the_main_one():
    outcome = score(highlight(), quotes("The regime", "thugs"), PACK)
    assert outcome.earned == outcome.possible


def test_highlight_missed_key_is_explained_with_its_rationale():
    outcome = score(highlight(), quotes("regime"), PACK)
    missed = [f for f in outcome.feedback if f.kind is FeedbackKind.MISSED]
    assert [(f.quote, f.item_id) for f in missed] == [("thugs", "frm-thugs")]
    assert "Rationale of frm-thugs." in missed[0].message


def test_highlight_stray_spaces_and_quote_marks_cost_nothing():
    start, end = at("regime").start - 1, at("regime").end + 1  # " regime " with both spaces
    response = HighlightResponse(spans=(SpanAnswer(start=start, end=end), SpanAnswer(exact="thugs ")))
    assert score(highlight(), response, PACK).earned == 3


def test_position_and_quote_selectors_agree():
    by_quote = score(highlight(), quotes("regime lied and"), PACK)
    by_position = score(highlight(), HighlightResponse(spans=(at("regime lied and"),)), PACK)
    assert by_quote == by_position


def test_overlapping_marks_are_merged_before_scoring():
    once = score(highlight(), quotes("regime lied and"), PACK)
    twice = score(highlight(), quotes("regime lied", "lied and", "regime"), PACK)
    assert once.earned == twice.earned and once.counts == twice.counts


def test_ambiguous_quote_is_an_invalid_part_with_a_message():
    outcome = score(highlight(), quotes("regime", "the"), PACK)
    invalid = [f for f in outcome.feedback if f.kind is FeedbackKind.INVALID]
    assert len(invalid) == 1 and "occurs 3 times" in invalid[0].message
    assert outcome.status is Status.PARTIAL  # the valid span still counts


def test_prefix_disambiguates_a_repeated_quote():
    response = HighlightResponse(spans=(SpanAnswer(exact="the thugs", prefix="lied and"), SpanAnswer(exact="regime")))
    assert score(highlight(), response, PACK).earned == 3


def test_quote_not_in_text_position_outside_text_and_unknown_label_are_invalid():
    cases = [
        (SpanAnswer(exact="not in this article"), "does not occur"),
        (SpanAnswer(start=5, end=10_000), "after the end of the text"),
        (SpanAnswer(start=9, end=9), "is empty"),
        (SpanAnswer(exact="regime", label="doubt"), "unknown label 'doubt'"),
        (SpanAnswer(exact="…"), "does not occur"),
    ]
    for answer, reason in cases:
        outcome = score(highlight(), HighlightResponse(spans=(answer,)), PACK)
        assert outcome.status is Status.INVALID, reason
        assert outcome.earned == 0 and reason in outcome.feedback[0].message


def test_punctuation_only_span_is_invalid():
    start = PACK.article.text.index(".")
    outcome = score(highlight(), HighlightResponse(spans=(SpanAnswer(start=start, end=start + 1),)), PACK)
    assert outcome.status is Status.INVALID and "holds no words" in outcome.feedback[0].message


def test_curly_and_straight_quotes_and_whitespace_match_each_other():
    from tests.quizzes.scoring.builders import build_pack

    pack = build_pack(
        [dict(item_id="frm-partners", quote="“partners”", labels=("loaded_language",))],
        ("Heading", "Russia’s  “partners” left."),
    )
    exercise = highlight(key=("frm-partners",), foils=())
    response = HighlightResponse(spans=(SpanAnswer(exact="Russia's \"partners\""),))
    outcome = score(exercise, response, pack)
    assert outcome.status is not Status.INVALID
    assert outcome.measures.recall == 1  # the whole key is covered; "Russia's" is the tolerated word before it


def test_label_spans_hand_vector_with_related_credit():
    # "regime" (key: Name Calling) labelled Loaded Language, a related label, credit 1/2.
    # R = (1/2 + 1) / 2 = 3/4, nothing false: earned = 3/4 (P = (5 + 1/2 * 6) / 11 = 8/11 is reported).
    outcome = score_unfiltered(label_spans(), labelled(("regime", "loaded_language"), ("thugs", "loaded_language")), PACK)
    assert outcome.measures.precision == Fraction(8, 11)
    assert outcome.measures.recall == Fraction(3, 4)
    assert outcome.earned == Fraction(3, 4)
    wrong = [f for f in outcome.feedback if f.kind is FeedbackKind.WRONG_LABEL]
    assert len(wrong) == 1 and "partial credit" in wrong[0].message and wrong[0].item_id == "frm-regime"


def test_label_spans_unrelated_label_earns_nothing_for_that_span():
    outcome = score_unfiltered(label_spans(), labelled(("regime", "doubt"), ("thugs", "loaded_language")), PACK)
    assert outcome.measures.recall == Fraction(1, 2)
    assert outcome.measures.precision == Fraction(5, 11)
    assert outcome.counts.hits == 2  # found the place: discernment counts it; the label is wrong


def test_label_spans_without_related_credit_gives_nothing_for_related_label():
    exercise = label_spans(related_credit=Fraction(0))
    outcome = score_unfiltered(exercise, labelled(("regime", "loaded_language"), ("thugs", "loaded_language")), PACK)
    assert outcome.measures.recall == Fraction(1, 2)


def test_label_spans_right_labels_earn_full_points():
    outcome = score(label_spans(), labelled(("regime", "name_calling"), ("thugs", "loaded_language")), PACK)
    assert outcome.status is Status.CORRECT


def test_label_spans_span_without_label_is_invalid():
    outcome = score(label_spans(), labelled(("regime", None)), PACK)  # type: ignore[arg-type]
    assert outcome.status is Status.INVALID and "give the span a label" in outcome.feedback[0].message


def test_label_spans_whole_scope_with_every_label_scores_zero():
    whole = PACK.article.text[PACK.article.block("b1").start:PACK.article.block("b1").end]
    outcome = score(label_spans(), labelled(*((whole, lbl) for lbl in ("loaded_language", "name_calling", "doubt"))), PACK)
    assert outcome.earned == 0


def test_label_spans_one_place_with_every_label_shares_its_credit():
    # Each key span labelled with all three labels: each place's credit is divided by 3.
    outcome = score_unfiltered(
        label_spans(), labelled(*((q, lbl) for q in ("regime", "thugs") for lbl in ("loaded_language", "name_calling", "doubt"))), PACK
    )
    assert outcome.measures.recall == Fraction(1, 3)
    assert outcome.earned == Fraction(1, 3)


def test_label_spans_right_label_plus_a_wrong_one_earns_half_of_that_place():
    outcome = score_unfiltered(label_spans(), labelled(("regime", "name_calling"), ("regime", "doubt"), ("thugs", "loaded_language")), PACK)
    assert outcome.measures.recall == Fraction(3, 4)


def test_marks_outside_the_scope_are_false_alarms():
    outcome = score(highlight(), quotes("regime", "thugs", "bridge"), PACK)
    assert outcome.counts.false_alarms == 1
    assert outcome.earned < outcome.possible


def test_span_parts_give_each_key_spans_recall_share_in_points():
    outcome = score(highlight(), quotes("regime"), PACK)
    assert [(p.id, p.earned, p.possible) for p in outcome.parts] == [
        ("frm-regime", Fraction(3, 2), Fraction(3, 2)),
        ("frm-thugs", 0, Fraction(3, 2)),
    ]


def _contested_pack():
    from tests.quizzes.scoring.builders import build_pack, default_items

    items = default_items() + [
        dict(item_id="frm-town", quote="town", labels=("loaded_language",), contested="Some read “town” as neutral, some as belittling."),
    ]
    return build_pack(items)


def test_contested_item_marked_costs_and_earns_nothing_and_says_why_people_disagree():
    pack = _contested_pack()
    exercise = highlight(contested=("frm-town",))
    exact = score_unfiltered(exercise, quotes("regime", "thugs"), pack)
    with_contested = score_unfiltered(exercise, quotes("regime", "thugs", "town"), pack)
    assert exact.earned == with_contested.earned == 3
    note = [f for f in with_contested.feedback if f.kind is FeedbackKind.CONTESTED]
    assert [(f.quote, f.item_id) for f in note] == [("town", "frm-town")]
    assert "Some read “town” as neutral" in note[0].message
    assert not [f for f in with_contested.feedback if f.kind is FeedbackKind.EXTRA]
    # without the contested entry, the same mark is a false alarm that costs a little
    plain = score_unfiltered(highlight(), quotes("regime", "thugs", "town"), PACK)
    assert plain.earned < 3 and plain.counts.false_alarms == 1


def test_contested_item_missed_costs_nothing():
    pack = _contested_pack()
    outcome = score_unfiltered(highlight(contested=("frm-town",)), quotes("regime", "thugs"), pack)
    assert outcome.status is Status.CORRECT and len(outcome.parts) == 2


def test_attribution_mark_on_source_cue_or_content_counts_towards_the_item():
    from quizzes.exercises import HighlightExercise

    exercise = HighlightExercise(
        id="a", skill="attribution", title="Reports", prompt="Mark each report.", scope=("b1", "b2"),
        labels=("direct_quote",), key=("att-mayor",), points=1,
    )
    whole = score_unfiltered(exercise, quotes("The mayor said the bridge is safe."), PACK)
    assert whole.earned == 1
    for part in ("The mayor", "said", "the bridge is safe"):
        outcome = score_unfiltered(exercise, HighlightResponse(spans=(at(part, occurrence=1),)), PACK)
        assert outcome.earned == 1, part
    # a framing exercise has no such relation: the cue alone covers a sliver of the item
    framing = exercise.model_copy(update={"skill": "framing"})
    assert score_unfiltered(framing, HighlightResponse(spans=(at("said"),)), PACK).earned < Fraction(1, 2)


def test_label_spans_any_label_of_a_key_item_counts_as_right():
    from tests.quizzes.scoring.builders import build_pack, default_items

    items = [dict(i, labels=("loaded_language", "name_calling")) if i["item_id"] == "frm-thugs" else i for i in default_items()]
    pack = build_pack(items)
    for label in ("loaded_language", "name_calling"):
        outcome = score_unfiltered(label_spans(), labelled(("regime", "name_calling"), ("thugs", label)), pack)
        assert outcome.earned == 1, label
    both = score_unfiltered(label_spans(), labelled(("regime", "name_calling"), ("thugs", "loaded_language"), ("thugs", "name_calling")), pack)
    assert both.earned == 1  # two right labels on one place count once


def _summary(outcome) -> str:  # type: ignore[no-untyped-def]
    return next(f.message for f in outcome.feedback if f.kind is FeedbackKind.SUMMARY)


def test_span_summary_is_plain_sentences_with_a_reason_for_each_lost_point():
    # "regime lied and": one place found, one missed; " and" lies on technique-free text.
    summary = _summary(score(highlight(), quotes("regime lied and"), PACK))
    assert summary == (
        "You found 1 of the 2 places to mark. Some of your marks reach past the words that do the work, which "
        "costs a little. Marking text where there is nothing to find cost 2% of the score: mark only the words "
        "that do the work. You missed 1 place."
    )
    for jargon in ("precision", "recall", "technique-free", "key span"):
        assert jargon not in summary


def test_span_summary_says_why_found_places_with_a_wrong_label_earn_less():
    outcome = score(label_spans(), labelled(("regime", "doubt"), ("thugs", "loaded_language")), PACK)
    summary = _summary(outcome)
    assert summary.startswith("You found 2 of the 2 places to mark.")
    assert "different label from the key, which earns less" in summary


def test_span_summary_for_an_exact_answer_says_only_what_was_found():
    assert _summary(score(highlight(), quotes("regime", "thugs"), PACK)) == "You found 2 of the 2 places to mark."
