"""LTI Assignment and Grade Services: posting a quiz result to the LMS gradebook as a score.

``gradingProgress`` is set honestly: ``FullyGraded`` when every exercise was scored automatically,
``PendingManual`` while any answer (a short answer or a rewrite) awaits a teacher's review. The
passback policy follows from what LMSs do with it: Moodle discards ``scoreGiven`` unless
``gradingProgress`` is ``FullyGraded`` (its gradebook shows no grade until then; Canvas keeps the
provisional score and flags the submission), so a result that needs review must be posted again,
``FullyGraded``, once the teacher has reviewed it: that post is the grade. ``activityProgress``
is ``Completed`` (a result exists only for a submitted attempt).

:func:`post_score` retries what an LMS refuses for the moment: 429 and 5xx answers with
exponential back-off (``Retry-After`` honoured up to :data:`MAX_WAIT_S`), resending the same
payload with the same timestamp, so the LMS cannot record it twice; and Moodle's 409, which it
answers when the timestamp is not later, at whole-second resolution, than the grade it holds (two
posts within one second): then the payload is re-stamped after the next second begins. A 409 to a
resend after a 5xx (whose post may have been recorded before the error) means it was, and counts
as success.

The access token comes from the LMS's token endpoint by the OAuth 2 client-credentials grant with
a JWT client assertion signed by the tool key (RFC 7523), scope ``.../lti-ags/scope/score``.
Points are exact fractions until here and are sent as floats rounded to 4 decimals.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from fractions import Fraction
from typing import Callable, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
import jwt

from api.lti.launch import SCORE_SCOPE, Launch
from api.lti.platform import LtiInvalid, Platform, ToolKey
from lesson.errors import MedialitError

__all__ = [
    "SCORE_MEDIA_TYPE", "ATTEMPTS", "MAX_WAIT_S", "GradingProgress", "ScoreOut", "PassbackFailed",
    "grading_progress", "score_payload", "scores_url", "client_assertion", "post_score",
]

SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
ATTEMPTS = 4
"""Score posts per call at most (the first and three retries)."""
MAX_WAIT_S = 8.0
"""The longest pause between two attempts, in seconds."""
_RETRY = frozenset({429, 500, 502, 503, 504})
GradingProgress = Literal["FullyGraded", "PendingManual"]


class PassbackFailed(MedialitError):
    slug = "lti-passback-failed"
    title = "The LMS did not accept the score."


@dataclass(frozen=True)
class ScoreOut:
    """What was sent: the LMS's status code, the payload it accepted and how many posts it took."""

    status_code: int
    payload: dict[str, object]
    attempts: int = 1


def grading_progress(needs_review: int) -> GradingProgress:
    """``PendingManual`` while ``needs_review`` answers (count, >= 0) await a teacher, else ``FullyGraded``."""
    if needs_review < 0:
        raise ValueError("needs_review counts answers and cannot be negative")
    return "PendingManual" if needs_review else "FullyGraded"


def score_payload(user_id: str, earned: Fraction, possible: Fraction, needs_review: int, when: datetime, comment: str | None = None) -> dict[str, object]:
    """The AGS score JSON for one user; ``0 <= earned <= possible`` in points, ``possible > 0``."""
    if possible <= 0 or not 0 <= earned <= possible:
        raise ValueError(f"need 0 <= earned <= possible and possible > 0, got {earned} of {possible}")
    payload: dict[str, object] = {
        "userId": user_id,
        "scoreGiven": round(float(earned), 4),
        "scoreMaximum": round(float(possible), 4),
        "activityProgress": "Completed",
        "gradingProgress": grading_progress(needs_review),
        "timestamp": when.astimezone(timezone.utc).isoformat(timespec="milliseconds"),
    }
    if comment:
        payload["comment"] = comment
    return payload


def scores_url(lineitem: str) -> str:
    """The line item's ``/scores`` endpoint (the path gains ``/scores``; a query string is kept)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def client_assertion(platform: Platform, key: ToolKey, now: float) -> str:
    """The RS256 JWT the tool signs to ask the LMS for an access token (valid five minutes)."""
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.audience or platform.auth_token_url,
        "iat": int(now),
        "exp": int(now) + 300,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode(claims, key.private_key_pem, algorithm="RS256", headers={"kid": key.kid})


def _access_token(client: httpx.Client, platform: Platform, key: ToolKey, now: float) -> str:
    response = client.post(
        platform.auth_token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion(platform, key, now),
            "scope": SCORE_SCOPE,
        },
    )
    if response.status_code != 200 or "access_token" not in response.json():
        raise PassbackFailed(f"the LMS token endpoint answered {response.status_code}")
    return str(response.json()["access_token"])


def _stamp(when: float) -> str:
    return datetime.fromtimestamp(when, tz=timezone.utc).isoformat(timespec="milliseconds")


def _wait(response: httpx.Response, attempt: int) -> float:
    retry_after = response.headers.get("retry-after", "")
    if retry_after.strip().isdigit():
        return min(MAX_WAIT_S, float(retry_after))
    return min(MAX_WAIT_S, 0.5 * 2**attempt)


def post_score(
    client: httpx.Client,
    platform: Platform,
    key: ToolKey,
    launch: Launch,
    payload: dict[str, object],
    now: float | None = None,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> ScoreOut:
    """Send ``payload`` to the launch's line item, retrying as the module docstring says; raises
    :class:`PassbackFailed` when the LMS refuses it or is still refusing after :data:`ATTEMPTS` posts."""
    if not launch.can_post_scores or launch.lineitem is None:
        raise LtiInvalid("this launch came without a line item or without the score scope: the LMS takes no grades for it")
    token = _access_token(client, platform, key, clock() if now is None else now)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCORE_MEDIA_TYPE}
    sent = dict(payload)
    resent = False  # the previous post carried this very payload and may have been recorded
    for attempt in range(ATTEMPTS):
        response = client.post(scores_url(launch.lineitem), json=sent, headers=headers)
        status = response.status_code
        if status in (200, 201, 202, 204) or (status == 409 and resent):
            return ScoreOut(status, sent, attempt + 1)
        if attempt + 1 == ATTEMPTS or (status not in _RETRY and status != 409):
            break
        if status == 409:  # the LMS holds a grade stamped this second or later: wait for the next second
            sleep(math.floor(clock()) + 1 - clock())
            sent = {**sent, "timestamp": _stamp(clock())}
            resent = False
        else:
            sleep(_wait(response, attempt))
            resent = status != 429  # a 429 refused the post; after a 5xx it may have been recorded
    raise PassbackFailed(f"the LMS answered {status} to the score" + (f" after {attempt + 1} attempts" if attempt else ""))
