"""A submit scores the answers before it takes the write lock; an answer saved in between (after
the scoring read, before the claim) is scored again, so the outcome always matches the response."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.store.attempts import _score_answers, _score_attempt
from api.store.tables import AnswerRow, AttemptRow
from tests.api.conftest import API, PERFECT_ANSWERS, WRONG_ANSWERS, make_classroom


def test_an_answer_changed_after_the_scoring_read_is_scored_again(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    put = client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json=WRONG_ANSWERS["sc-01"], headers=room.as_("Ada"))
    assert put.status_code == 200
    catalog = client.app.state.catalog  # type: ignore[attr-defined]
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        row = session.get(AttemptRow, attempt["id"])
        assert row is not None
        scored = _score_answers(session, catalog, row)
        assert scored["sc-01"][1]["earned"] == "0"
        # the student saves the right answer after the scoring read
        answer = session.scalar(select(AnswerRow).where(AnswerRow.attempt_id == row.id, AnswerRow.exercise_id == "sc-01"))
        assert answer is not None
        answer.response = PERFECT_ANSWERS["sc-01"]
        session.flush()
        _score_attempt(session, catalog, row, scored)
        assert answer.outcome is not None and answer.outcome["earned"] == "1"
        unanswered = session.scalar(select(AnswerRow).where(AnswerRow.attempt_id == row.id, AnswerRow.exercise_id == "mc-01"))
        assert unanswered is not None and unanswered.outcome == scored["mc-01"][1]
