"""The error vocabulary of the lesson layer.

Domain errors carry a stable ``slug`` and a human ``title``, never an HTTP status: ``api/problems.py``
alone maps them to RFC 9457 responses, and the CLIs map them to exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MedialitError", "PackProblem", "PackInvalid", "NotFound"]


class MedialitError(Exception):
    """Base of every domain error: ``slug`` names the kind, ``title`` describes it in words."""

    slug = "medialit-error"
    title = "Something went wrong in medialit."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title


class NotFound(MedialitError):
    slug = "not-found"
    title = "The requested item does not exist."


@dataclass(frozen=True)
class PackProblem:
    """One authoring mistake: the file, a location inside it (JSON path or line) and what is wrong."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.location}" if self.location else self.file
        return f"{where}: {self.message}"


@dataclass
class PackInvalid(MedialitError):
    """A lesson pack that cannot be loaded; ``problems`` lists every mistake found, not just the first."""

    problems: list[PackProblem] = field(default_factory=list)
    slug = "pack-invalid"
    title = "The lesson pack is invalid."

    def __post_init__(self) -> None:
        MedialitError.__init__(self, "\n".join(str(p) for p in self.problems))
