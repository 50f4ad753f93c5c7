"""``quiz-grade pull``: fetch an assignment's answers from a running medialit server.

The client side of the API, used only by the grading script (``httpx``, teacher bearer token):

1. ``GET /api/v1/assignments/{id}`` for the assignment's ``quiz_id``;
2. ``GET /api/v1/assignments/{id}/answers``: the stored answers as JSON Lines, one
   ``{"student", "exercise", "response", ...}`` record per line (the grading script's own input
   format), graded locally exactly like a file;
3. if the server has no such route (404), ``GET /api/v1/assignments/{id}/results.csv``: the
   server's own gradebook, saved unchanged to ``--out`` (no local report then).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Iterator

import httpx

from quizzes.bank import Bank, Quiz
from quizzes.grader.atomic import atomic_writer
from quizzes.grader.reading import read_answer_lines
from quizzes.grader.shared import EXIT_OK, EXIT_USAGE, CommandFailed, find_quiz, write_output
from quizzes.records import AnswerRecord, RecordError

__all__ = ["pull_answers_or_results", "ANSWERS_ROUTE", "RESULTS_CSV_ROUTE", "TIMEOUT"]

ANSWERS_ROUTE = "/api/v1/assignments/{id}/answers"
RESULTS_CSV_ROUTE = "/api/v1/assignments/{id}/results.csv"
ASSIGNMENT_ROUTE = "/api/v1/assignments/{id}"
TIMEOUT = httpx.Timeout(30.0, read=300.0)
"""Seconds: connecting and each read (a large class's export streams for a while)."""

GradeStream = Callable[[Bank, Quiz, Any, str, argparse.Namespace], int]


def pull_answers_or_results(args: argparse.Namespace, grade_stream: GradeStream, transport: httpx.BaseTransport | None = None) -> int:
    """Fetch and grade (or save) the answers of ``args.assignment``; returns the exit code."""
    base = args.server.rstrip("/")
    headers = {"Authorization": f"Bearer {args.token}", "Accept": "application/json"}
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=TIMEOUT, transport=transport) as client:
            assignment = _get_json(client, ASSIGNMENT_ROUTE.format(id=args.assignment))
            quiz_id = assignment.get("quiz_id") if isinstance(assignment, dict) else None
            if not isinstance(quiz_id, str):
                raise CommandFailed(EXIT_USAGE, f"{base}: the assignment has no quiz_id; is this a medialit server?")
            route = ANSWERS_ROUTE.format(id=args.assignment)
            with client.stream("GET", route, headers={"Accept": "application/x-ndjson"}) as response:
                if response.status_code == 404:
                    # the assignment exists (fetched above), so a 404 here means the server lacks the route
                    response.read()
                    return _save_server_gradebook(client, args, base)
                _check(response, route)
                bank, quiz = find_quiz(quiz_id, args.pack)
                source = f"{base}{route}"
                records = _records(response, source, args.save_answers)
                return grade_stream(bank, quiz, records, source, args)
    except httpx.HTTPError as error:
        raise CommandFailed(EXIT_USAGE, f"{base}: {error.__class__.__name__}: {error}")
    return EXIT_OK  # pragma: no cover


def _records(response: httpx.Response, source: str, save_to: Any) -> Iterator[AnswerRecord | RecordError]:
    lines = (line.encode("utf-8") for line in response.iter_lines())
    if save_to is None:
        yield from read_answer_lines(lines, source)
        return
    with atomic_writer(save_to) as copy:

        def copied() -> Iterator[bytes]:
            for line in lines:
                copy.write(line.decode("utf-8") + "\n")
                yield line

        yield from read_answer_lines(copied(), source)


def _get_json(client: httpx.Client, route: str) -> Any:
    response = client.get(route)
    _check(response, route)
    try:
        return response.json()
    except ValueError:
        raise CommandFailed(EXIT_USAGE, f"{route}: the server did not answer with JSON")


def _check(response: httpx.Response, route: str) -> None:
    if response.is_success:
        return
    response.read()
    detail = ""
    try:
        problem = response.json()
        if isinstance(problem, dict):
            detail = str(problem.get("detail") or problem.get("title") or "")
    except ValueError:
        pass
    reason = {401: "the token was not accepted", 403: "the token was not accepted", 404: "not found"}.get(response.status_code, "")
    raise CommandFailed(EXIT_USAGE, f"{route}: HTTP {response.status_code} {reason} {detail}".rstrip())


def _save_server_gradebook(client: httpx.Client, args: argparse.Namespace, base: str) -> int:
    route = RESULTS_CSV_ROUTE.format(id=args.assignment)
    if args.report is not None or args.format != "plain":
        raise CommandFailed(
            EXIT_USAGE,
            f"this server has no answers export ({ANSWERS_ROUTE.format(id=args.assignment)}); "
            "--report and --format need it (without them the server's own gradebook CSV is saved)",
        )
    response = client.get(route, headers={"Accept": "text/csv"})
    _check(response, route)
    if args.out is None:
        print(response.text, end="")
    else:
        write_output(args.out, lambda stream: stream.write(response.text), newline="")
    print(
        f"{base}: this server has no answers export ({ANSWERS_ROUTE.format(id=args.assignment)}); "
        f"saved its own gradebook ({route}) instead" + (f" to {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return EXIT_OK

