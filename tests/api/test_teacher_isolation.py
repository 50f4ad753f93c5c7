"""Teacher accounts: walk every teacher route of the app (LTI included) as another teacher, as a
co-teacher and as the owner, so a route added later is covered without being named here.

- Another teacher gets ``404 not-found`` (problem+json) for every route that names one of the
  owner's classes, assignments, students, attempts, answers or LTI launches, as for an unknown id,
  learns none of the owner's names, and changes nothing.
- A route that names none of those must be listed in ``SHARED`` (catalog content every teacher
  sees alike, or a list scoped to the asker); another teacher's answer to it has the owner's status.
- A co-teacher and the owner get no 404 on any class route (LTI registrations are not shared).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api import deps
from api.problems import MEDIA_TYPE, PROBLEM_BASE
from api.app import create_app
from api.lti.platform import ToolKey
from api.lti.router import LtiConfig, lti_router
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, bearer, make_classroom, make_settings
from tests.api.lti.platform_stub import BASE, PLATFORM, StubPlatform, new_rsa_pem, public_jwk
from tests.api.lti.test_lti import TOOL, World
from tests.api.test_no_key_leak import _bodies, _submit

OWNED = ("class_id", "assignment_id", "student_id", "attempt_id", "answer_id", "launch_id")
CLASS_NAME = "Room-Zq7 of the owner"
STUDENTS = ("Ottilie-Qx", "Perpetua-Qx")

SHARED = {
    # lists and accounts scoped to the asker
    ("GET", "/api/v1/classes"), ("POST", "/api/v1/classes"), ("GET", "/api/v1/teachers/me"), ("GET", "/api/v1/teachers"),
    ("GET", "/api/v1/audit"),
    # the catalog: lesson packs, keys, guides, exports and the studio are the server's, shared by its teachers
    ("GET", "/api/v1/quizzes/{quiz_id}/key"), ("GET", "/api/v1/lessons/{lesson_id}/guides/teacher"),
    ("GET", "/api/v1/lessons/{lesson_id}/annotations"),
    ("GET", "/api/v1/quizzes/{quiz_id}/export/{export_format}"), ("GET", "/api/v1/quizzes/{quiz_id}/export/{export_format}/notes"),
    ("GET", "/api/v1/lessons/{lesson_id}/export/{export_format}"), ("POST", "/api/v1/lessons/{lesson_id}/marks/web-annotation"),
    ("POST", "/api/v1/studio/import"), ("POST", "/api/v1/studio/suggestions"), ("POST", "/api/v1/studio/lint"),
    ("GET", "/api/v1/studio/packs"), ("POST", "/api/v1/studio/packs"), ("GET", "/api/v1/studio/packs/{pack_id}"),
    ("PUT", "/api/v1/studio/packs/{pack_id}"), ("GET", "/api/v1/studio/packs/{pack_id}/export"),
}


def _calls(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _api_routes(routes: Any, inherited: frozenset[Any] = frozenset()) -> Iterator[tuple[APIRoute, frozenset[Any]]]:
    """Every API route with the dependencies of the routers it was included from (FastAPI wraps
    each included router, ``_IncludedRouter``, and keeps the router's dependencies there)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes, inherited | {d.dependency for d in inner.dependencies})
        elif isinstance(route, APIRoute):
            yield route, inherited | {d.dependency for d in route.dependencies} | set(_calls(route.dependant))


def routes_needing(app: Any, check: Any) -> list[tuple[str, str]]:
    """(method, path) of every route whose dependencies include ``check``, DELETEs last (they take
    things away), and among them the deepest paths first."""
    found = [(method, route.path) for route, calls in _api_routes(app.routes) if check in calls for method in sorted(route.methods)]
    return sorted(found, key=lambda r: (r[0] == "DELETE", "/teachers/" in r[1], -r[1].count("/") if r[0] == "DELETE" else 0, r[1], r[0]))


WHOLE_CLASS = ("DELETE", "/api/v1/classes/{class_id}")
"""Deleting the class: its owner's alone (a co-teacher gets 403); the walk does it last."""


class School:
    """The owner (the first account, ``TEACHER``) with a class, submitted answers, a co-teacher and an
    LMS launch; another teacher; the administrator."""

    def __init__(self, world: World) -> None:
        self.world, self.client = world, world.tool
        self.admin = bearer(world.app.state.new_admin_token)
        self.other = self.account("Mr Other")
        self.co = self.account("Ms Co")
        self.room = make_classroom(self.client, names=STUDENTS)
        assert self.client.post(f"{API}/classes", json={"name": CLASS_NAME}, headers=TEACHER).status_code == 201
        submitted = _submit(self.room, STUDENTS[0], PERFECT_ANSWERS)
        book = self.client.get(f"{API}/assignments/{self.room.assignment_id}/results", headers=TEACHER).json()
        row = next(r for r in book["rows"] if r["display_name"] == STUDENTS[0])
        co_id = self.client.get(f"{API}/teachers", headers=self.co["headers"]).json()
        self.co_id = next(t["id"] for t in co_id if t["display_name"] == "Ms Co")
        added = self.client.post(f"{API}/classes/{self.room.class_id}/teachers", json={"teacher_id": self.co_id}, headers=TEACHER)
        assert added.status_code == 200, added.text
        self.launch_id = world.launch()["launch_id"]
        self.values = {
            "class_id": self.room.class_id, "assignment_id": self.room.assignment_id, "student_id": row["student_id"],
            "attempt_id": submitted["id"], "answer_id": row["exercises"]["sa-01"]["answer_id"], "launch_id": self.launch_id,
            "teacher_id": self.co_id, "lesson_id": "tiny-api", "quiz_id": "tiny-all", "pack_id": "tiny-api", "export_format": "qti",
            "exercise_id": "ls-01",
        }

    def account(self, name: str) -> dict[str, Any]:
        made = self.client.post(f"{API}/admin/teachers", json={"display_name": name}, headers=self.admin)
        assert made.status_code == 201, made.text
        body = made.json()
        return {"id": body["teacher"]["id"], "headers": bearer(body["token"])}

    def request(self, method: str, template: str, headers: dict[str, str]) -> Any:
        path = template
        for name in re.findall(r"{(\w+)}", template):
            path = path.replace("{" + name + "}", str(self.values[name]))
        body = _bodies(self.room, "ls-01").get((method, template))
        if template.endswith("/score"):
            body = {"earned": "1", "possible": "2"}
        if "/gain" in template:
            path += f"?pre={self.room.assignment_id}&post={self.room.assignment_id}"
        return self.client.request(method, path, headers=headers, json=body)


class ApiWorld(World):
    """The LTI test world on the API tests' pack (``tiny-api``, with the answers of ``PERFECT_ANSWERS``)."""

    def __init__(self, tmp_path: Any) -> None:
        tool_key = ToolKey(new_rsa_pem(), "tool-key-1")
        self.stub = StubPlatform(tool_jwk=public_jwk(tool_key.private_key_pem, tool_key.kid))
        self.platform_client = TestClient(self.stub.app(), base_url=BASE)
        self.config = LtiConfig(platforms=(PLATFORM,), key=tool_key, client=self.platform_client)
        self.app = create_app(make_settings(f"sqlite:///{tmp_path / 'medialit.db'}"))
        self.app.include_router(lti_router(self.config))
        self.tool = TestClient(self.app, base_url=TOOL, raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture
def school(tmp_path: Any) -> Iterator[School]:
    built = ApiWorld(tmp_path)
    with built.tool:
        yield School(built)
    built.app.state.engine.dispose()


def _owner_state(school: School) -> Any:
    klass = school.client.get(f"{API}/classes/{school.room.class_id}", headers=TEACHER).json()
    assignment = school.client.get(f"{API}/assignments/{school.room.assignment_id}", headers=TEACHER).json()
    book = school.client.get(f"{API}/assignments/{school.room.assignment_id}/results", headers=TEACHER).json()
    teachers = school.client.get(f"{API}/classes/{school.room.class_id}/teachers", headers=TEACHER).json()
    return klass, assignment, book, teachers


def test_every_teacher_route_refuses_another_teachers_ids_with_a_404(school: School) -> None:
    routes = routes_needing(school.world.app, deps._teacher)
    assert len(routes) >= 40, routes
    before = _owner_state(school)
    other = school.other["headers"]
    walked = 0
    for method, template in routes:
        owned = [p for p in re.findall(r"{(\w+)}", template) if p in OWNED]
        if template.endswith("/classes/{class_id}/teachers") and method == "POST":
            response = school.client.post(template.replace("{class_id}", str(school.room.class_id)), json={"teacher_id": school.other["id"]}, headers=other)
        else:
            response = school.request(method, template, other)
        where = f"another teacher: {method} {template} -> {response.status_code} {response.text[:200]}"
        for secret in (CLASS_NAME, *STUDENTS, school.room.join_code):
            assert secret not in response.text, where
        if owned:
            walked += 1
            assert response.status_code == 404, where
            assert response.headers["content-type"].split(";")[0] == MEDIA_TYPE and response.json()["type"] == PROBLEM_BASE + "not-found", where
        else:
            assert (method, template) in SHARED, f"{method} {template} names no class, assignment, student or answer: add it to SHARED if every teacher may use it alike"
            assert response.status_code < 500, where
    assert walked >= 20
    assert _owner_state(school) == before, "another teacher's requests changed nothing"
    listed = school.client.get(f"{API}/classes", headers=other).json()
    assert [c["name"] for c in listed] == ["walker"], "only the class the walk made"
    assert [c["name"] for c in school.client.get(f"{API}/classes", headers=TEACHER).json()] == ["Test class", CLASS_NAME]


@pytest.mark.parametrize("who", ["co-teacher", "owner"])
def test_the_owner_and_a_co_teacher_reach_every_class_route(school: School, who: str) -> None:
    headers = school.co["headers"] if who == "co-teacher" else TEACHER
    for method, template in routes_needing(school.world.app, deps._teacher):
        owned = [p for p in re.findall(r"{(\w+)}", template) if p in OWNED]
        if not owned or (who == "co-teacher" and "launch_id" in owned):
            continue
        if method == "POST" and template.endswith("/classes/{class_id}/teachers"):
            response = school.client.post(template.replace("{class_id}", str(school.room.class_id)), json={"teacher_id": school.co_id}, headers=headers)
            assert response.status_code == (200 if who == "owner" else 403), response.text
            continue
        if (method, template) == WHOLE_CLASS and who == "owner":
            continue  # after the walk: the other routes need the class
        response = school.request(method, template, headers)
        assert response.status_code != 404 and response.status_code < 500, f"{who}: {method} {template} -> {response.status_code} {response.text[:300]}"
        if (method, template) == WHOLE_CLASS:
            assert response.status_code == 403, response.text
    if who == "owner":
        assert school.request(*WHOLE_CLASS, headers).status_code == 200


def test_a_co_teacher_sees_the_class_reviews_under_their_name_and_cannot_change_who_teaches(school: School) -> None:
    co, client, class_id = school.co["headers"], school.client, school.room.class_id
    assert [c["id"] for c in client.get(f"{API}/classes", headers=co).json()] == [class_id]
    reviewed = client.put(f"{API}/answers/{school.values['answer_id']}/review", json={"earned": "1"}, headers=co)
    assert reviewed.status_code == 200 and reviewed.json()["history"][-1]["reviewer"] == "Ms Co"
    refused = client.post(f"{API}/classes/{class_id}/teachers", json={"teacher_id": school.other["id"]}, headers=co)
    assert refused.status_code == 403 and refused.json()["type"] == PROBLEM_BASE + "not-class-owner"
    assert client.delete(f"{API}/classes/{class_id}/teachers/1", headers=co).status_code == 403
    teachers = client.get(f"{API}/classes/{class_id}/teachers", headers=co).json()
    assert [(t["display_name"], t["role"]) for t in teachers] == [("Teacher", "owner"), ("Ms Co", "co")]
    assert client.delete(f"{API}/classes/{class_id}/teachers/1", headers=TEACHER).status_code == 409, "the owner stays"
    assert client.delete(f"{API}/classes/{class_id}/teachers/{school.co_id}", headers=TEACHER).status_code == 200
    assert client.get(f"{API}/classes/{class_id}", headers=co).status_code == 404, "removed: the class is gone for them"
    assert client.get(f"{API}/classes", headers=co).json() == []


def test_a_class_made_by_a_teacher_is_theirs_alone(school: School) -> None:
    other, client = school.other["headers"], school.client
    made = client.post(f"{API}/classes", json={"name": "Other's class"}, headers=other).json()
    assert [c["name"] for c in client.get(f"{API}/classes", headers=other).json()] == ["Other's class"]
    assert client.get(f"{API}/classes/{made['id']}", headers=TEACHER).status_code == 404
    assert client.get(f"{API}/classes/{made['id']}/teachers", headers=other).json()[0]["role"] == "owner"
    me = client.get(f"{API}/teachers/me", headers=other).json()
    assert me == {"id": school.other["id"], "display_name": "Mr Other"}


def test_gain_does_not_tell_another_teachers_assignment_from_a_missing_one(school: School) -> None:
    other, client = school.other["headers"], school.client
    mine = client.post(f"{API}/classes", json={"name": "Mine"}, headers=other).json()
    theirs = client.get(f"{API}/classes/{mine['id']}/gain", params={"pre": school.room.assignment_id, "post": school.room.assignment_id}, headers=other)
    missing = client.get(f"{API}/classes/{mine['id']}/gain", params={"pre": 99999, "post": 99999}, headers=other)
    assert theirs.status_code == missing.status_code == 422
    assert theirs.json()["detail"].replace(str(school.room.assignment_id), "N") == missing.json()["detail"].replace("99999", "N")


def test_the_audit_log_shows_a_teacher_only_their_classes_and_their_own_actions(school: School) -> None:
    """The owner's class, its students and the owner's reviews stay out of another teacher's log, and
    naming the owner's class there reads as an unknown class; a co-teacher sees the class's entries;
    a class the owner deletes stays in the owner's log, not in anyone else's."""
    other, client = school.other["headers"], school.client
    mine = client.post(f"{API}/classes", json={"name": "Other's own"}, headers=other).json()
    seen = client.get(f"{API}/audit", params={"limit": 200}, headers=other).json()["entries"]
    assert seen and {e["class_id"] for e in seen} <= {mine["id"], None}
    assert CLASS_NAME not in str(seen) and not any(name in str(seen) for name in STUDENTS)
    refused = client.get(f"{API}/audit", params={"class_id": school.room.class_id}, headers=other)
    assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json")
    co_seen = client.get(f"{API}/audit", params={"class_id": school.room.class_id}, headers=school.co["headers"]).json()["entries"]
    assert any(e["action"] == "class-created" for e in co_seen)
    doomed = client.post(f"{API}/classes", json={"name": "Doomed-Zq7"}, headers=TEACHER).json()
    assert client.delete(f"{API}/classes/{doomed['id']}", headers=TEACHER).status_code == 200
    owner_log = client.get(f"{API}/audit", params={"limit": 200}, headers=TEACHER).json()["entries"]
    assert any(e["action"] == "class-deleted" and "Doomed-Zq7" in e["sentence"] for e in owner_log)
    assert "Doomed-Zq7" not in str(client.get(f"{API}/audit", params={"limit": 200}, headers=other).json())
