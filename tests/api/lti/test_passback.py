"""Grade passback policy against a platform that grades like Moodle: FullyGraded after review,
retries with back-off on 409, 429 and 5xx, and no score recorded twice."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import pytest

from api.lti.ags import ATTEMPTS
from tests.api.lti.test_lti import TEACHER, World, world  # noqa: F401 (the fixture)


@dataclass
class FakeTime:
    """A clock that only moves when the code under test sleeps (starting a quarter past this second:
    the platform checks the client assertion's times against the real clock)."""

    now: float = field(default_factory=lambda: math.floor(time.time()) + 0.25)
    sleeps: list[float] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


def launched(world: World) -> tuple[str, FakeTime]:
    launch_id = world.launch()["launch_id"]
    fake = FakeTime()
    world.config.clock, world.config.sleep = fake.time, fake.sleep
    return launch_id, fake


def post(world: World, launch_id: str, needs_review: int = 0, earned: str = "7/2"):
    return world.tool.post(f"/api/v1/lti/launches/{launch_id}/score", headers=TEACHER,
                           json={"earned": earned, "possible": "8", "needs_review": needs_review})


def test_passback_grade_reaches_moodle_once_the_teacher_has_reviewed(world: World) -> None:
    launch_id, fake = launched(world)
    pending = post(world, launch_id, needs_review=1, earned="3")
    assert pending.status_code == 200 and pending.json()["payload"]["gradingProgress"] == "PendingManual"
    assert world.stub.gradebook["lms-user-42"][0] is None  # Moodle drops scoreGiven until FullyGraded
    reviewed = post(world, launch_id)  # the same second: Moodle answers 409, the score is re-stamped
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["attempts"] == 2 and len(fake.sleeps) == 1 and fake.sleeps[0] == pytest.approx(0.75)
    assert world.stub.gradebook["lms-user-42"][0] == 3.5
    first, second = (body["timestamp"] for _, _, body in world.stub.scores[1:])
    assert second > first and reviewed.json()["payload"]["timestamp"] == second


def test_passback_retries_a_server_error_with_the_same_payload(world: World) -> None:
    launch_id, fake = launched(world)
    world.stub.outages = [(503, False), (502, False)]
    response = post(world, launch_id)
    assert response.status_code == 200 and response.json()["attempts"] == 3
    assert fake.sleeps == [0.5, 1.0]
    bodies = [body for _, _, body in world.stub.scores]
    assert len(bodies) == 3 and bodies[0] == bodies[1] == bodies[2]


def test_passback_honours_retry_after(world: World) -> None:
    launch_id, fake = launched(world)
    world.stub.outages = [(429, False)]
    assert post(world, launch_id).status_code == 200
    assert fake.sleeps == [3.0]


def test_passback_does_not_record_a_score_twice_when_an_answer_is_lost(world: World) -> None:
    launch_id, fake = launched(world)
    world.stub.outages = [(503, True)]  # recorded, but the tool sees 503
    response = post(world, launch_id)
    assert response.status_code == 200 and response.json()["attempts"] == 2
    assert [body["timestamp"] for _, _, body in world.stub.scores] == [response.json()["payload"]["timestamp"]] * 2
    assert world.stub.gradebook == {"lms-user-42": (3.5, math.floor(fake.now))}


@pytest.mark.parametrize(("outages", "posts"), [([(400, False)], 1), ([(503, False)] * ATTEMPTS, ATTEMPTS)])
def test_passback_gives_up_on_a_refusal_or_after_the_last_attempt(world: World, outages: list, posts: int) -> None:
    launch_id, _ = launched(world)
    world.stub.outages = list(outages)
    response = post(world, launch_id)
    assert response.status_code == 502 and response.json()["type"].endswith("lti-passback-failed")
    assert len(world.stub.scores) == posts and str(outages[0][0]) in response.json()["detail"]


def test_passback_after_a_rate_limit_does_not_take_a_conflict_for_success(world: World) -> None:
    launch_id, fake = launched(world)
    world.stub.gradebook["lms-user-42"] = (None, math.floor(fake.now))  # a grade held from this very second
    world.stub.outages = [(429, False)]
    response = post(world, launch_id)
    assert response.status_code == 200 and response.json()["attempts"] == 3  # 429, 409 (re-stamp), 200
    assert world.stub.gradebook["lms-user-42"][0] == 3.5
