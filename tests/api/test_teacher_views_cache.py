"""The teacher's polled views (gradebook, item analysis, answers): ETag and 304, and a cached view
that can never be stale — every submit, review, regrade, start, first answer and removal shows at
once, also when it went through another server process on the same database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from api.conditional import matches
from api.store import results
from api.store.snapshots import Snapshot, ViewCache
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, TINY_PACK, WRONG_ANSWERS, Classroom, make_classroom, make_settings

VIEWS = ("results", "analysis", "answers")


def _get(client: TestClient, room: Classroom, view: str, etag: str | None = None):  # type: ignore[no-untyped-def]
    headers = {**TEACHER, **({"If-None-Match": etag} if etag else {})}
    return client.get(f"{API}/assignments/{room.assignment_id}/{view}", headers=headers)


def _etags(client: TestClient, room: Classroom) -> dict[str, str]:
    found = {}
    for view in VIEWS:
        response = _get(client, room, view)
        assert response.status_code == 200, response.text
        found[view] = response.headers["etag"]
    return found


def _answer(room: Classroom, name: str, answers: dict[str, dict]) -> dict:  # type: ignore[type-arg]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        saved = room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name))
        assert saved.status_code == 200, saved.text
    return attempt


def _submit(room: Classroom, name: str, answers: dict[str, dict]) -> None:  # type: ignore[type-arg]
    attempt = _answer(room, name, answers)
    assert room.client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name)).status_code == 200


def _changed(client: TestClient, room: Classroom, before: dict[str, str]) -> dict[str, bool]:
    """Poll each view with its old ETag, as the page does: which ones came back with a new body."""
    changed = {}
    for view in VIEWS:
        response = _get(client, room, view, before[view])
        assert response.status_code in (200, 304), response.text
        changed[view] = response.status_code == 200
        if response.status_code == 200:
            assert response.headers["etag"] != before[view]
    return changed


def _fresh(client: TestClient, assignment_id: int) -> dict[str, object]:
    """The views built from scratch, without the cache."""
    app = client.app
    with Session(app.state.engine) as session:  # type: ignore[attr-defined]
        catalog = app.state.catalog  # type: ignore[attr-defined]
        return {"results": results.gradebook(session, catalog, assignment_id).model_dump(mode="json"),
                "analysis": results.analysis(session, catalog, assignment_id).model_dump(mode="json"),
                "answers": results.answers_jsonl(session, assignment_id)}


def test_teacher_views_send_an_etag_and_answer_304_when_nothing_changed(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", PERFECT_ANSWERS)
    for view in VIEWS:
        first = _get(client, room, view)
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert etag.startswith('W/"') and etag.endswith('"')
        assert first.headers["vary"] == "Authorization"
        assert first.headers["cache-control"] == "private, no-store"
        again = _get(client, room, view, etag)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert _get(client, room, view, f'"{etag[3:-1]}", W/"other"').status_code == 304  # strong form, in a list
        assert _get(client, room, view, "*").status_code == 304
        assert _get(client, room, view, 'W/"something-else"').status_code == 200


def test_a_poll_without_the_teacher_token_is_refused_whatever_etag_it_sends(client: TestClient) -> None:
    room = make_classroom(client)
    etag = _get(client, room, "results").headers["etag"]
    refused = client.get(f"{API}/assignments/{room.assignment_id}/results", headers={"If-None-Match": etag})
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_an_unknown_assignment_is_a_404_problem_not_a_304(client: TestClient) -> None:
    response = client.get(f"{API}/assignments/999/results", headers={**TEACHER, "If-None-Match": "*"})
    assert response.status_code == 404 and response.json()["status"] == 404


def _same_as_fresh(client: TestClient, room: Classroom) -> None:
    fresh = _fresh(client, room.assignment_id)
    assert _get(client, room, "results").json() == fresh["results"]
    assert _get(client, room, "analysis").json() == fresh["analysis"]
    assert _get(client, room, "answers").text == fresh["answers"]


def test_a_view_kept_up_to_date_change_by_change_equals_one_built_from_scratch(client: TestClient) -> None:
    room = make_classroom(client, names=("Ada", "Bea", "Cem", "Dan"))
    _same_as_fresh(client, room)
    _submit(room, "Ada", PERFECT_ANSWERS)
    _same_as_fresh(client, room)  # built
    _same_as_fresh(client, room)  # from the cache
    _submit(room, "Bea", WRONG_ANSWERS)  # one attempt added to what is kept
    _answer(room, "Cem", {"sc-01": PERFECT_ANSWERS["sc-01"]})
    _same_as_fresh(client, room)
    row = next(r for r in _get(client, room, "results").json()["rows"] if r["display_name"] == "Ada")
    assert client.put(f"{API}/answers/{row['exercises']['sa-01']['answer_id']}/review", json={"earned": "1"}, headers=TEACHER).status_code == 200
    _same_as_fresh(client, room)  # Ada's attempt rebuilt, Bea's kept
    _submit(room, "Dan", PERFECT_ANSWERS)
    dan = next(r["student_id"] for r in _get(client, room, "results").json()["rows"] if r["display_name"] == "Dan")
    _same_as_fresh(client, room)
    assert client.delete(f"{API}/classes/{room.class_id}/students/{dan}", headers=TEACHER).status_code == 200
    _same_as_fresh(client, room)


def test_a_submit_changes_every_view(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", PERFECT_ANSWERS)
    before = _etags(client, room)
    _submit(room, "Bea", WRONG_ANSWERS)
    assert _changed(client, room, before) == {"results": True, "analysis": True, "answers": True}
    names = [row["display_name"] for row in _get(client, room, "results").json()["rows"]]
    assert names == ["Ada", "Bea"]
    assert _get(client, room, "analysis").json()["attempts"] == 2


def test_starting_and_answering_change_the_gradebook_only(client: TestClient) -> None:
    room = make_classroom(client)
    before = _etags(client, room)
    attempt = _answer(room, "Ada", {})
    assert _changed(client, room, before) == {"results": True, "analysis": False, "answers": False}
    progress = _get(client, room, "results").json()["in_progress"]
    assert [(p["display_name"], p["answered"]) for p in progress] == [("Ada", 0)]

    before = _etags(client, room)
    put = room.client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json=PERFECT_ANSWERS["sc-01"], headers=room.as_("Ada"))
    assert put.status_code == 200
    assert _changed(client, room, before) == {"results": True, "analysis": False, "answers": False}
    assert _get(client, room, "results").json()["in_progress"][0]["answered"] == 1

    # saving the same exercise again changes nothing the teacher sees: the poll stays a 304
    before = _etags(client, room)
    put = room.client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "b"}, headers=room.as_("Ada"))
    assert put.status_code == 200
    assert _changed(client, room, before) == {"results": False, "analysis": False, "answers": False}


def test_a_review_changes_the_scores_shown_at_once(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", PERFECT_ANSWERS)
    gradebook = _get(client, room, "results").json()
    before = _etags(client, room)
    answer_id = gradebook["rows"][0]["exercises"]["sa-01"]["answer_id"]
    reviewed = client.put(f"{API}/answers/{answer_id}/review", json={"earned": "0", "comment": "Not yet"}, headers=TEACHER)
    assert reviewed.status_code == 200, reviewed.text
    assert _changed(client, room, before) == {"results": True, "analysis": True, "answers": True}
    row = _get(client, room, "results").json()["rows"][0]
    assert row["exercises"]["sa-01"]["earned"] == 0 and "sa-01" not in row["awaiting_review"]
    assert '"review"' in _get(client, room, "answers").text


def test_a_regrade_after_a_key_change_shows_the_new_scores(tmp_path: Path, sqlite_url: str) -> None:
    pack = tmp_path / "tiny-api"
    shutil.copytree(TINY_PACK, pack)
    with TestClient(create_app(make_settings(sqlite_url, pack_dirs=(pack,))), raise_server_exceptions=False) as client:
        room = make_classroom(client)
        _submit(room, "Ada", {"sc-01": PERFECT_ANSWERS["sc-01"]})
        assert _get(client, room, "results").json()["rows"][0]["exercises"]["sc-01"]["earned"] == 1
        before = _etags(client, room)
        path = pack / "exercises" / "all.json"
        data = json.loads(path.read_text())
        options = next(e for e in data["exercises"] if e["id"] == "sc-01")["options"]
        options[0]["correct"], options[1]["correct"] = False, True
        path.write_text(json.dumps(data))
        assert client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER).status_code == 200
        assert _changed(client, room, before)["results"] and _changed(client, room, before)["analysis"]
        assert _get(client, room, "results").json()["rows"][0]["exercises"]["sc-01"]["earned"] == 0
        sc = next(i for i in _get(client, room, "analysis").json()["items"] if i["exercise_id"] == "sc-01")
        assert sc["facility"] == 0


def test_removing_a_student_changes_every_view(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", PERFECT_ANSWERS)
    _submit(room, "Bea", WRONG_ANSWERS)
    before = _etags(client, room)
    bea = next(r["student_id"] for r in _get(client, room, "results").json()["rows"] if r["display_name"] == "Bea")
    assert client.delete(f"{API}/classes/{room.class_id}/students/{bea}", headers=TEACHER).status_code == 200
    assert _changed(client, room, before) == {"results": True, "analysis": True, "answers": True}
    assert [r["display_name"] for r in _get(client, room, "results").json()["rows"]] == ["Ada"]


def test_closing_the_assignment_changes_the_gradebook(client: TestClient) -> None:
    room = make_classroom(client)
    before = _etags(client, room)
    assert client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER).status_code == 200
    assert _changed(client, room, before)["results"]
    assert _get(client, room, "results").json()["assignment"]["closed"] is True


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on one database, each with its own memory, as two server processes are."""
    first, second = create_app(make_settings(database_url)), create_app(make_settings(database_url))
    with TestClient(first, raise_server_exceptions=False) as a, TestClient(second, raise_server_exceptions=False) as b:
        yield a, b
    first.state.engine.dispose()
    second.state.engine.dispose()


def test_a_change_made_through_another_process_is_never_hidden_by_a_cached_view(two_processes: tuple[TestClient, TestClient]) -> None:
    a, b = two_processes
    room = make_classroom(a)
    _submit(room, "Ada", PERFECT_ANSWERS)
    before = _etags(a, room)
    assert _etags(b, room) == before  # both processes name the same state alike
    other = Classroom(b, room.class_id, room.join_code, room.assignment_id, room.students)
    _submit(other, "Bea", WRONG_ANSWERS)  # through process b
    assert _changed(a, room, before) == {"results": True, "analysis": True, "answers": True}
    assert [r["display_name"] for r in _get(a, room, "results").json()["rows"]] == ["Ada", "Bea"]
    answer_id = _get(a, room, "results").json()["rows"][1]["exercises"]["sa-01"]["answer_id"]
    before = _etags(a, room)
    assert b.put(f"{API}/answers/{answer_id}/review", json={"earned": "1"}, headers=TEACHER).status_code == 200
    assert _changed(a, room, before) == {"results": True, "analysis": True, "answers": True}
    assert _get(a, room, "results").json()["rows"][1]["exercises"]["sa-01"]["earned"] == 1


def test_the_view_cache_keeps_at_most_its_entries_and_bytes() -> None:
    bank = object()
    cache = ViewCache(max_entries=2, max_bytes=10)
    for number in range(3):
        cache.put(("results", number), (number,), bank, Snapshot("e", b"abc"))  # type: ignore[arg-type]
    assert len(cache) == 2 and cache.get(("results", 0), (0,), bank) is None  # type: ignore[arg-type]
    assert cache.get(("results", 2), (2,), bank) is not None  # type: ignore[arg-type]
    cache.put(("results", 3), (3,), bank, Snapshot("e", b"0123456789"))  # type: ignore[arg-type]
    assert cache.size_bytes <= 10 and len(cache) == 1
    cache.put(("results", 4), (4,), bank, Snapshot("e", b"x" * 11))  # type: ignore[arg-type]  # larger than the cache
    assert cache.get(("results", 4), (4,), bank) is None and cache.size_bytes <= 10  # type: ignore[arg-type]
    assert cache.get(("results", 3), (9,), bank) is None  # type: ignore[arg-type]  # another stamp: not served


def test_if_none_match_compares_weakly() -> None:
    assert matches('W/"a"', 'W/"a"') and matches('"a"', 'W/"a"') and matches('"b", W/"a"', 'W/"a"') and matches("*", 'W/"a"')
    assert not matches(None, 'W/"a"') and not matches("", 'W/"a"') and not matches('W/"ab"', 'W/"a"')


def test_answers_are_still_served_when_the_quiz_is_no_longer_in_the_packs(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url)), raise_server_exceptions=False) as client:
        room = make_classroom(client)
        _submit(room, "Ada", {"sc-01": PERFECT_ANSWERS["sc-01"]})
    # the shipped packs only: the tiny test pack and its quiz are gone
    with TestClient(create_app(make_settings(sqlite_url, pack_dirs=())), raise_server_exceptions=False) as client:
        room.client = client
        served = _get(client, room, "answers")
        assert served.status_code == 200 and '"sc-01"' in served.text
        assert _get(client, room, "answers", served.headers["etag"]).status_code == 304
