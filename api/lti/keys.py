"""The LMSs' public key sets (JWKS), fetched off the event loop and cached.

A launch needs the key set of the LMS that signed it. Fetching it synchronously inside the async
launch handler froze every other request for as long as the LMS took to answer, and fetching it
on every launch made each one pay that wait. ``KeyCache`` fetches in a worker thread (the
configured ``httpx.Client`` stays injectable for tests), one fetch per URL at a time, and keeps a
key set for ``ttl_s`` seconds. A token signed with a key the cached set lacks (the LMS rotated its
keys) refetches at once, at most every ``refetch_s`` seconds. An LMS that fails to answer, answers
an error or something that is not a key set raises :class:`LtiKeysUnavailable`: a ``502``, since
the failure is upstream.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Callable

import httpx
import jwt
from starlette.concurrency import run_in_threadpool

from lesson.errors import MedialitError

__all__ = ["KeyCache", "LtiKeysUnavailable", "KEY_TTL_S"]

KEY_TTL_S = 600.0
"""How long a fetched key set is used before it is fetched again, seconds."""


class LtiKeysUnavailable(MedialitError):
    slug = "lti-keys-unavailable"
    title = "The LMS's signing keys could not be fetched; try the launch again later."


@dataclass
class _Entry:
    keys: dict[str, Any]
    fetched_at: float


class KeyCache:
    def __init__(self, client: httpx.Client, ttl_s: float = KEY_TTL_S, refetch_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.refetch_s = refetch_s
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def keys_for(self, url: str, id_token: str) -> dict[str, Any]:
        """The key set at ``url``, from the cache unless stale or missing the token's ``kid``."""
        kid = _kid(id_token)
        lock = self._locks.setdefault(url, asyncio.Lock())
        async with lock:  # concurrent launches wait for one fetch instead of each making their own
            entry = self._entries.get(url)
            now = self.clock()
            if entry is not None and now - entry.fetched_at < self.ttl_s:
                if kid is None or _has_kid(entry.keys, kid) or now - entry.fetched_at < self.refetch_s:
                    return entry.keys
            keys = await run_in_threadpool(self._fetch, url)
            self._entries[url] = _Entry(keys, self.clock())
            return keys

    def _fetch(self, url: str) -> dict[str, Any]:
        try:
            response = self.client.get(url)
        except httpx.HTTPError as error:
            raise LtiKeysUnavailable(f"the LMS key set at {url} did not answer ({error.__class__.__name__})") from None
        if response.status_code != 200:
            raise LtiKeysUnavailable(f"the LMS key set at {url} answered {response.status_code}")
        try:
            keys = response.json()
        except ValueError:
            raise LtiKeysUnavailable(f"the LMS key set at {url} is not JSON") from None
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            raise LtiKeysUnavailable(f"the LMS key set at {url} has no list of keys")
        return keys


def _kid(id_token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(id_token).get("kid")
    except jwt.PyJWTError:
        return None  # not a JWT: the launch check says so, with its own message
    return kid if isinstance(kid, str) else None


def _has_kid(keys: dict[str, Any], kid: str) -> bool:
    return any(isinstance(k, dict) and k.get("kid") == kid for k in keys.get("keys", []))
