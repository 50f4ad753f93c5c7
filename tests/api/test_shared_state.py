"""The state server processes share through the database: the join limiter and the LTI login store.

Two limiter or store objects on one database stand for two server processes; the cross-process
test with real servers on PostgreSQL is ``test_two_processes.py``.
"""

from __future__ import annotations

import threading
import pytest
from sqlalchemy import Engine, func, select

from api.errors import TooManyJoinAttempts
from api.limits import JoinLimiter
from api.lti.launch import LOGIN_TTL_S, Launch, PendingLogin
from api.lti import state as lti_state
from api.lti.state import LaunchStore, LoginStore, digest
from api.store.db import make_engine, migrate
from api.store.tables import JoinFailureRow, LtiLoginRow


@pytest.fixture
def engine(database_url: str) -> Engine:
    """A migrated database: SQLite, and PostgreSQL when the tests have one."""
    built = make_engine(database_url)
    migrate(built)
    yield built
    built.dispose()


def _limiters(engine: Engine, now: list[float], count: int = 2) -> list[JoinLimiter]:
    return [JoinLimiter(engine, allowed=3, window_s=300, throttle_s=2, clock=lambda: now[0]) for _ in range(count)]


def test_join_limiter_counts_failures_from_every_process(engine: Engine) -> None:
    now = [1000.0]
    first, second = _limiters(engine, now)
    first.record_failure("school")
    second.record_failure("school")
    first.record_failure("school")
    second.check("school")  # the first throttled try is the address's turn
    with pytest.raises(TooManyJoinAttempts) as refused:
        first.check("school")  # the other process sees the turn taken
    assert refused.value.retry_after_s == 2
    first.check("elsewhere")


def test_join_limiter_below_the_allowance_is_free(engine: Engine) -> None:
    now = [1000.0]
    (limiter,) = _limiters(engine, now, 1)
    for _ in range(2):
        limiter.record_failure("school")
    for _ in range(10):
        limiter.check("school")


def test_join_limiter_forgets_failures_that_left_the_window(engine: Engine) -> None:
    now = [1000.0]
    (limiter,) = _limiters(engine, now, 1)
    for _ in range(3):
        limiter.record_failure("school")
    limiter.check("school")
    with pytest.raises(TooManyJoinAttempts):
        limiter.check("school")
    now[0] += 301
    limiter.record_failure("other")  # a new failure sweeps what has left the window
    with engine.connect() as connection:
        left = connection.scalar(select(func.count()).select_from(JoinFailureRow).where(JoinFailureRow.client == "school"))
    assert left == 0
    limiter.check("school")
    limiter.check("school")


def test_join_limiter_hands_out_one_turn_to_concurrent_tries(engine: Engine) -> None:
    now = [1000.0]
    limiters = _limiters(engine, now, 8)
    for _ in range(3):
        limiters[0].record_failure("school")
    admitted: list[int] = []
    refused: list[int] = []
    start = threading.Barrier(len(limiters))

    def attempt(index: int) -> None:
        start.wait()
        try:
            limiters[index].check("school")
            admitted.append(index)
        except TooManyJoinAttempts:
            refused.append(index)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(limiters))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(admitted) == 1 and len(refused) == len(limiters) - 1


def _login(started_at: float, nonce: str = "nonce") -> PendingLogin:
    return PendingLogin("https://lms.test", "client", digest(nonce), started_at, "https://tool.test/")


def test_login_store_state_works_once_across_stores(engine: Engine) -> None:
    first, second = LoginStore(engine), LoginStore(engine)
    first.put("state-1", _login(1000.0))
    assert second.peek("state-1", 1001.0) == _login(1000.0)
    assert second.take("state-1", 1001.0) == _login(1000.0)
    assert first.take("state-1", 1001.0) is None
    assert first.peek("state-1", 1001.0) is None


def test_login_store_concurrent_takes_give_the_state_to_one(engine: Engine) -> None:
    LoginStore(engine).put("state-1", _login(1000.0))
    got: list[PendingLogin | None] = []
    start = threading.Barrier(6)

    def take() -> None:
        store = LoginStore(engine)
        start.wait()
        got.append(store.take("state-1", 1001.0))

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [g for g in got if g is not None] == [_login(1000.0)]


def test_login_store_expired_state_is_refused_and_swept(engine: Engine) -> None:
    store = LoginStore(engine)
    store.put("old", _login(1000.0))
    assert store.peek("old", 1000.0 + LOGIN_TTL_S + 1) is None
    assert store.take("old", 1000.0 + LOGIN_TTL_S + 1) is None
    store.put("older", _login(1000.0))
    store.put("new", _login(1000.0 + LOGIN_TTL_S + 1))  # a new login sweeps the expired ones
    assert store.count() == 1


def test_login_store_keeps_only_digests(engine: Engine) -> None:
    LoginStore(engine).put("the-state", _login(1000.0, nonce="the-nonce"))
    with engine.connect() as connection:
        stored = " ".join(str(value) for value in connection.execute(select(*LtiLoginRow.__table__.c)).one())
    assert "the-state" not in stored and "the-nonce" not in stored


def test_login_store_is_bounded_and_drops_the_oldest(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lti_state, "MAX_PENDING", 5)
    store = LoginStore(engine)
    for n in range(8):
        store.put(f"state-{n}", _login(1000.0 + n))
    assert store.count() == 5
    assert store.peek("state-2", 1010.0) is None
    assert store.peek("state-3", 1010.0) is not None and store.peek("state-7", 1010.0) is not None


def test_launch_store_keeps_a_launch_for_every_process_until_it_expires(engine: Engine) -> None:
    launch = Launch("https://lms.test", "client", "d1", "user-1", ("Learner",), "link-1", None, "tiny-all", None, False)
    LaunchStore(engine).put("launch-1", launch, 1000.0)
    assert LaunchStore(engine).get("launch-1", 1001.0) == launch
    assert LaunchStore(engine).get("launch-2", 1001.0) is None
    assert LaunchStore(engine).get("launch-1", 1000.0 + lti_state.LAUNCH_TTL_S + 1) is None


def test_a_pack_saved_through_one_process_is_served_by_the_other(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import API, TEACHER, make_settings
    from tests.api.test_studio import _import, build_lesson

    settings = make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", data_dir=tmp_path)
    first, second = create_app(settings), create_app(settings)
    with TestClient(first, raise_server_exceptions=False) as a, TestClient(second, raise_server_exceptions=False) as b:
        assert b.get(f"{API}/quizzes/harbour-quiz", headers=TEACHER).status_code == 404
        assert a.put(f"{API}/studio/packs/harbour", json=build_lesson(_import(a)), headers=TEACHER).status_code == 200
        sync = second.state.catalog_sync
        sync.checked_at -= 60  # as if a second had passed since the other process last looked
        assert b.get(f"{API}/quizzes/harbour-quiz", headers=TEACHER).status_code == 200
        assert first.state.catalog_sync.loaded == sync.loaded == 1, "the saving process does not read its own change again"
    for app in (first, second):
        app.state.engine.dispose()
