"""HTTP routes under ``/api/v1``: public, teacher and student. Each handler parses, calls one service, returns."""

from api.routes.public import router as public_router
from api.routes.student import router as student_router
from api.routes.teacher import router as teacher_router

__all__ = ["public_router", "teacher_router", "student_router"]

