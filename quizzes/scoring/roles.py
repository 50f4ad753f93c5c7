"""Scoring ``attribution_roles`` answers: source, cue and content of one attributed claim.

Each role is scored on its own by overlap, as the BBC Citron evaluation scores quotation roles:
a role's score is the span F1 of the student's one span against the key's span for that role, with
the same one-word tolerance and the same flag-everything guard as ``highlight``
(:mod:`quizzes.scoring.measure`), where for each role the words of the other roles count as text to
leave alone. The roles are then combined with the exercise's weights::

    earned = points * (w_source * score_source + w_cue * score_cue + w_content * score_content)

A role the key leaves empty (an unattributed claim has no source) scores 1 when the student leaves
it empty too and 0 when they mark something; an empty answer (no role marked) scores 0. A role span
that cannot be resolved is an ``invalid`` part; if every given role is invalid the outcome is
``invalid``. ``parts`` are the weighted roles in points and add up to ``earned``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from lesson.bundle import LessonPack
from quizzes.exercises import AttributionRolesExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome, SpanCounts
from quizzes.responses import AttributionRolesResponse, SpanAnswer
from quizzes.scoring.common import invalid_item, invalid_outcome, percent, status_for
from quizzes.scoring.intervals import Interval, merge, overlaps_any
from quizzes.scoring.keys import ANY_LABEL, Candidate, KeyUnit, SpanKey, clean_size, scope_intervals, trimmed, with_index, word_margins
from quizzes.scoring.measure import free_share, measure
from quizzes.scoring.memo import memoised
from quizzes.scoring.selectors import Unresolved, pack_text, resolve

__all__ = ["ROLES", "RolesKey", "compile_roles_key", "score_attribution_roles"]

ROLES = ("source", "cue", "content")


@dataclass(frozen=True, slots=True)
class RolesKey:
    """Per role: the key span (or ``None``) and a one-unit :class:`SpanKey` to measure against."""

    spans: dict[str, Interval | None]
    keys: dict[str, SpanKey | None]
    overall: SpanKey
    rationale: str


def compile_roles_key(exercise: AttributionRolesExercise, pack: LessonPack) -> RolesKey:
    """Compile the claim's roles into integer keys (the loader guarantees the claim has roles)."""
    text = pack.article.text
    claim = pack.annotation.get(exercise.claim)
    roles = claim.roles
    if roles is None:
        raise ValueError(f"claim {claim.id!r} has no roles")
    spans: dict[str, Interval | None] = {}
    for role in ROLES:
        span = getattr(roles, role)
        spans[role] = trimmed(text, (span.start, span.end)) if span is not None else None
    candidates = {role: Candidate(s, word_margins(text, s)) for role, s in spans.items() if s is not None}

    scope = scope_intervals(pack, exercise.scope)

    def one(found: tuple[Candidate, ...]) -> SpanKey:
        region = merge(c.span for c in found)
        return with_index(SpanKey(
            units=tuple(KeyUnit((claim.id,), ANY_LABEL, (c,), claim.rationale) for c in found),
            regions={ANY_LABEL: region},
            related={ANY_LABEL: frozenset()},
            related_only={ANY_LABEL: ()},
            related_credit=Fraction(0),
            candidates_for={ANY_LABEL: found},
            all_region=region,
            all_candidates=found,
            clean_size=clean_size(scope, region, merge(m for c in found for m in c.margins)),
            foils=(),
            labels=frozenset(),
        ), len(text))

    # Per role, the other roles' words are text to leave alone: marking the whole sentence as the
    # source is flag-everything for that role.
    keys = {role: (None if role not in candidates else one((candidates[role],))) for role in ROLES}
    overall = one(tuple(candidates.values()))
    return RolesKey(spans=spans, keys=keys, overall=overall, rationale=claim.rationale)


_ZERO = Fraction(0)
_ONE = Fraction(1)


class _Fixed:
    """Per-exercise pieces of roles outcomes that do not depend on the answer, built once (outcome
    parts are immutable): each role's points, its parts at no and at full credit, its anchor on the
    key span, the "not marked" items and the claim's rationale."""

    def __init__(self, exercise: AttributionRolesExercise, pack: LessonPack) -> None:
        key: RolesKey = memoised("roles-key", exercise, pack, compile_roles_key)
        text = pack.article.text
        self.possible = Fraction(exercise.points)
        weights = {"source": exercise.weights.source, "cue": exercise.weights.cue, "content": exercise.weights.content}
        self.role_possible = {role: self.possible * weights[role] for role in ROLES}
        self.zero_parts = {role: PartOutcome(id=role, earned=_ZERO, possible=self.role_possible[role]) for role in ROLES}
        self.full_parts = {role: PartOutcome(id=role, earned=self.role_possible[role], possible=self.role_possible[role]) for role in ROLES}
        self.anchors: dict[str, dict] = {}
        self.not_marked: dict[str, FeedbackItem] = {}
        for role in ROLES:
            key_span = key.spans[role]
            if key_span is None:
                continue
            anchor = dict(start=key_span[0], end=key_span[1], quote=text[key_span[0]:key_span[1]], label=role, item_id=exercise.claim)
            self.anchors[role] = anchor
            self.not_marked[role] = FeedbackItem(kind=FeedbackKind.ROLE, message=f"The {role} was not marked.", **anchor)
        self.rationale = FeedbackItem(kind=FeedbackKind.ROLE, message=key.rationale, item_id=exercise.claim)


def score_attribution_roles(exercise: AttributionRolesExercise, response: AttributionRolesResponse, pack: LessonPack) -> Outcome:
    """Score the three role spans and combine them with the exercise's weights (see module doc)."""
    key: RolesKey = memoised("roles-key", exercise, pack, compile_roles_key)
    fixed: _Fixed = memoised("roles-fixed", exercise, pack, _Fixed)
    source = pack_text(pack)
    text = source.text
    given: dict[str, Interval | None] = {}
    problems: list[FeedbackItem] = []
    answered = 0
    for role in ROLES:
        answer: SpanAnswer | None = getattr(response, role)
        if answer is None:
            given[role] = None
            continue
        answered += 1
        found = resolve(answer, source)
        if isinstance(found, Unresolved):
            problems.append(invalid_item(f"The {role}: {found.message}"))
            given[role] = None
        else:
            given[role] = found
    if answered and len(problems) == answered:
        return invalid_outcome(exercise.id, exercise.points, (p.message for p in problems))
    possible = fixed.possible
    empty = not any(given.values())
    scores: dict[str, Fraction] = {}
    parts: list[PartOutcome] = []
    feedback: list[FeedbackItem] = []
    hits = misses = false_alarms = 0
    for role in ROLES:
        key_span, student, role_key = key.spans[role], given[role], key.keys[role]
        if role_key is None or key_span is None:
            if student is not None or empty:
                scores[role] = _ZERO
                parts.append(fixed.zero_parts[role])
            else:
                scores[role] = _ONE
                parts.append(fixed.full_parts[role])
            if student is not None:
                false_alarms += 1
                feedback.append(FeedbackItem(kind=FeedbackKind.ROLE, message=f"This claim names no {role}; leave the {role} empty.", start=student[0], end=student[1], quote=text[student[0]:student[1]], label=role))
            continue
        if student is None:
            scores[role] = _ZERO
            parts.append(fixed.zero_parts[role])
            misses += 1
            feedback.append(fixed.not_marked[role])
            continue
        result = measure(role_key, {ANY_LABEL: (student,)})
        scores[role] = result.ratio
        role_possible = fixed.role_possible[role]
        parts.append(PartOutcome(id=role, earned=role_possible * result.ratio, possible=role_possible))
        if overlaps_any(student, (key_span,)):
            hits += 1
        else:
            misses += 1
        if not overlaps_any(student, key.overall.all_region):
            false_alarms += 1
        feedback.append(FeedbackItem(kind=FeedbackKind.ROLE, message=_role_message(role, result.ratio), **fixed.anchors[role]))
    earned = sum((p.earned for p in parts), _ZERO)
    union = merge(s for s in given.values() if s is not None)
    counts = SpanCounts(hits=hits, misses=misses, false_alarms=false_alarms, free_marked=free_share(key.overall, union, key.overall.clean_size))
    summary = FeedbackItem(
        kind=FeedbackKind.SUMMARY,
        message=" ".join(f"{_role_verdict(role, scores[role])}." for role in ROLES),
    )
    feedback.append(fixed.rationale)
    return Outcome(
        exercise_id=exercise.id,
        status=status_for(earned, possible),
        earned=earned,
        possible=possible,
        parts=tuple(parts),
        feedback=(summary, *feedback, *problems),
        counts=counts,
    )


def _role_verdict(role: str, ratio: Fraction) -> str:
    if ratio >= 1:
        return f"The {role} is right"
    if ratio <= 0:
        return f"The {role} is not right"
    return f"The {role} is partly right ({percent(ratio)} of its credit)"


def _role_message(role: str, ratio: Fraction) -> str:
    """One role's result in a sentence a student reads (the exact share stays in ``parts``)."""
    if ratio >= 1:
        return f"{_role_verdict(role, ratio)}: the key marks the same words."
    if ratio <= 0:
        return f"{_role_verdict(role, ratio)}: your mark is not on the words the key marks."
    return f"{_role_verdict(role, ratio)}: your mark covers only some of the key's words, or more than them."
