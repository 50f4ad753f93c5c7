"""Wire models of teacher accounts (administrator routes) and of a class's teachers (teacher routes).

A teacher account is a display name and a token; no e-mail or other personal detail is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from api.schemas import In, Out

__all__ = ["TeacherIn", "TeacherOut", "TeacherAccountOut", "TeacherTokenOut", "TeacherNameOut", "ClassTeacherOut", "CoTeacherIn", "Role"]

Role = Literal["owner", "co"]
"""A teacher's place in a class: its ``owner`` (created it; adds and removes co-teachers) or a ``co``-teacher."""


class TeacherIn(In):
    display_name: str = Field(min_length=1, max_length=80, examples=["Ms Okafor"], description="what colleagues see; no e-mail is needed")


class TeacherNameOut(Out):
    """What a teacher may know of a colleague: the id to name them by and their display name."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 2, "display_name": "Ms Okafor"}]})

    id: int
    display_name: str


class TeacherOut(TeacherNameOut):
    """A teacher account as the administrator sees it."""

    created_at: datetime
    has_token: bool = Field(description="false for an account that cannot sign in until a token is issued")
    class_count: int = Field(description="classes the account owns or co-teaches")


class TeacherTokenOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"teacher": {"id": 2, "display_name": "Ms Okafor", "created_at": "2026-03-01T09:00:00Z", "has_token": True, "class_count": 0}, "token": "q1dYb5yQ3xV0m2cXf8J6KcY1Ewq0cF3l2s9rTt5u6w0"}]})

    teacher: TeacherOut
    token: str = Field(description="shown only in this response; the old token, if any, stops working")


class TeacherAccountOut(TeacherNameOut):
    """The signed-in teacher's own account."""


class ClassTeacherOut(TeacherNameOut):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 2, "display_name": "Ms Okafor", "role": "co"}]})

    role: Role


class CoTeacherIn(In):
    teacher_id: int = Field(ge=1, le=2**31 - 1, description="a colleague's id, from GET /teachers")
