"""``medialit backup`` / ``restore``: a backup restored into a fresh server holds every stored answer,
also when it was taken while the server wrote; restores refuse what they must. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.app import create_app
from api.commands import main
from api.store.tables import AnswerRow, AuditRow, Base, ClassRow, StudentRow, utcnow
from tests.api.conftest import API, PERFECT_ANSWERS, POSTGRES_ENV, TEACHER, WRONG_ANSWERS, make_classroom, make_settings
from tests.api.test_privacy import _submit

RESTORE_DB = "medialit_restore_target"


@pytest.fixture
def target_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as ``database_url``."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'medialit.db'}"
        return
    admin = create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {RESTORE_DB} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {RESTORE_DB}"))
    yield make_url(database_url).set(database=RESTORE_DB).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {RESTORE_DB} WITH (FORCE)"))
    admin.dispose()


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the schema declares, in id order (the comparison a restore must pass)."""
    with engine.connect() as connection:
        return {t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))] for t in Base.metadata.sorted_tables}


def _stored_answers(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(AnswerRow.id, AnswerRow.attempt_id, AnswerRow.exercise_id, AnswerRow.response,
                                                            AnswerRow.outcome, AnswerRow.saved_at).order_by(AnswerRow.id))]


def test_backup_restored_into_a_fresh_server_holds_every_answer(database_url: str, target_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        room = make_classroom(client)
        _submit(room, "Ada", PERFECT_ANSWERS)
        _submit(room, "Bea", WRONG_ANSWERS)
        client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
        book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
        original = every_row(app.state.engine)
        answers = _stored_answers(app.state.engine)
    out = tmp_path / "backups" / "medialit.backup"
    assert main(["backup", str(out), "--database", database_url]) == 0
    assert "2 student(s), 16 stored answer(s)" in capsys.readouterr().out
    assert main(["restore", str(out), "--database", target_url]) == 0
    assert "restored from" in capsys.readouterr().out
    app.state.engine.dispose()

    fresh = create_app(make_settings(target_url))
    with TestClient(fresh, raise_server_exceptions=False) as client:
        restored = every_row(fresh.state.engine)
        assert _stored_answers(fresh.state.engine) == answers and len(answers) == 16
        skip = ("audit_log",)
        assert {k: v for k, v in restored.items() if k not in skip} == {k: v for k, v in original.items() if k not in skip}
        assert restored["teachers"] and restored["class_teachers"]  # the accounts and who teaches what came back too
        assert restored["audit_log"][:-1] == original["audit_log"]
        assert restored["audit_log"][-1][3] == "database-restored"
        assert len(restored["answers"]) == 16
        assert client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json() == book  # the teacher token works
        assert client.get(f"{API}/me/assignments", headers=room.as_("Ada")).status_code == 200  # and the students' tokens
    fresh.state.engine.dispose()


def test_backup_taken_while_the_server_writes_is_consistent(database_url: str, target_url: str, tmp_path: Path) -> None:
    """A writer commits a class with its student in one transaction, again and again, while the
    backup runs: the backup holds whole transactions only (each class with its student), some
    from before it started and none of those that waited until it had finished."""
    app = create_app(make_settings(database_url))
    engine: Engine = app.state.engine
    with TestClient(app, raise_server_exceptions=False) as client:
        room = make_classroom(client)
        attempt = room.start("Ada")
        committed, stop, backed_up = [0], threading.Event(), threading.Event()
        started = threading.Event()

        def write() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                with Session(engine) as session:
                    klass = ClassRow(name=f"burst-{n}", join_code=f"B{n:09d}")
                    session.add(klass)
                    session.flush()
                    session.add(StudentRow(class_id=klass.id, display_name=f"s-{n}", name_key=f"s-{n}", token_hash=f"{n:064d}"))
                    session.commit()
                # and an autosave through the server's own writer, between the transactions
                exercise = list(PERFECT_ANSWERS)[n % len(PERFECT_ANSWERS)]
                app.state.answer_writer.save(attempt["id"], exercise, PERFECT_ANSWERS[exercise], utcnow())
                committed[0] = n
                if n == 20:
                    started.set()
                if backed_up.is_set() and n >= after_backup[0] + 20:
                    return

        after_backup = [10**9]
        thread = threading.Thread(target=write)
        thread.start()
        assert started.wait(60)
        out = tmp_path / "during-writes.backup"
        assert main(["backup", str(out), "--database", database_url]) == 0
        after_backup[0] = committed[0]
        backed_up.set()
        thread.join(60)
        stop.set()
        assert not thread.is_alive()
        total = committed[0]
    engine.dispose()

    assert main(["restore", str(out), "--database", target_url]) == 0
    fresh = create_app(make_settings(target_url))
    with TestClient(fresh, raise_server_exceptions=False):
        with Session(fresh.state.engine) as session:
            bursts = session.scalars(select(ClassRow.name).where(ClassRow.name.like("burst-%"))).all()
            students = session.scalar(select(func.count()).select_from(StudentRow).where(StudentRow.display_name.like("s-%")))
            ok = session.execute(text("PRAGMA integrity_check")).scalar() if target_url.startswith("sqlite") else "ok"
        numbers = sorted(int(name.split("-")[1]) for name in bursts)
        assert numbers == list(range(1, len(numbers) + 1)), "the backup holds a prefix of the commits"
        assert students == len(numbers), "every class came with its student: no transaction was torn"
        assert 20 <= len(numbers) < total, (len(numbers), total)
        assert ok == "ok"
        assert client_check(fresh) == 200
    fresh.state.engine.dispose()


def client_check(app: Any) -> int:
    with TestClient(app, raise_server_exceptions=False) as client:
        return client.get(f"{API}/classes", headers=TEACHER).status_code


def test_restore_refuses_a_database_that_holds_classes_unless_told_to_replace(database_url: str, target_url: str, tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        make_classroom(client)
    app.state.engine.dispose()
    out = tmp_path / "one.backup"
    assert main(["backup", str(out), "--database", database_url]) == 0
    other = create_app(make_settings(target_url))
    with TestClient(other, raise_server_exceptions=False) as client:
        make_classroom(client, names=("Zed",))
        make_classroom(client, names=("Yan",))
    other.state.engine.dispose()
    capsys.readouterr()
    assert main(["restore", str(out), "--database", target_url]) == 1
    assert "already holds 2 class(es)" in capsys.readouterr().err
    assert main(["restore", str(out), "--database", target_url, "--replace"]) == 0
    engine = create_engine(target_url)
    with engine.connect() as connection:
        names = connection.scalars(select(StudentRow.display_name).order_by(StudentRow.id)).all()
        restored_audit = connection.scalars(select(AuditRow.action).order_by(AuditRow.id)).all()
    engine.dispose()
    assert names == ["Ada", "Bea"] and restored_audit[-1] == "database-restored"


def test_restore_refuses_a_file_that_is_not_a_backup_of_its_kind(database_url: str, target_url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    assert main(["restore", str(junk), "--database", target_url]) == 1
    assert "is not a" in capsys.readouterr().err
    other_kind = tmp_path / "other.db"
    if database_url.startswith("sqlite"):
        other_kind.write_bytes(b"PGDMP" + bytes(100))
        expected = "(it is a PostgreSQL dump)"
    else:
        import sqlite3
        sqlite3.connect(other_kind).execute("CREATE TABLE t (x)").connection.commit()
        expected = "(it is a SQLite file)"
    assert main(["restore", str(other_kind), "--database", target_url]) == 1
    assert expected in capsys.readouterr().err
    missing = tmp_path / "missing.backup"
    assert main(["restore", str(missing), "--database", target_url]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_backup_of_a_missing_sqlite_database_fails_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.backup"
    assert main(["backup", str(out), "--database", f"sqlite:///{tmp_path / 'nothing.db'}"]) == 1
    assert "there is no database" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_retention_command_is_off_by_default_and_deletes_when_set(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'medialit.db'}"
    app = create_app(make_settings(url))
    with TestClient(app, raise_server_exceptions=False) as client:
        room = make_classroom(client)
        client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
    app.state.engine.dispose()
    assert main(["retention", "--database", url]) == 0
    assert "off" in capsys.readouterr().out
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE classes SET closed_at = '2000-01-01 00:00:00'"))
    monkeypatch.setenv("MEDIALIT_RETENTION_DAYS", "30")
    assert main(["retention", "--database", url]) == 0
    assert "deleted 1 closed class(es) (“Test class”)" in capsys.readouterr().out
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ClassRow)) == 0
    engine.dispose()
