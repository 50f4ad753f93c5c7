"""Security headers on every response, as HTTP headers (a ``<meta>`` CSP cannot forbid framing).

- ``Content-Security-Policy`` the same as the web client's ``<meta>`` policy plus
  ``frame-ancestors 'none'`` (no other site may frame the teacher page: clickjacking);
  ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.
- ``Cache-Control: no-store`` on every API answer: they carry tokens (``POST /join``), students'
  answers and grades, none of which a shared computer's cache should keep.

The interactive API docs (off unless ``MEDIALIT_API_DOCS`` is set) get a policy that lets them load
Swagger UI from its CDN, and only they.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["SecurityHeaders", "CSP", "DOCS_CSP"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' https://cdn.jsdelivr.net; "
            "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

_COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: Any, api_prefix: str, docs_path: str | None) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.docs_path = docs_path

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        csp = (DOCS_CSP if self.docs_path and path == self.docs_path else CSP).encode()
        is_api = path.startswith(self.api_prefix + "/") or path.startswith("/lti/")

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                own = message.get("headers", [])
                # a route may say more (``private, no-store`` with an ETag, api/conditional.py) but never less than no-store
                kept = any(k.lower() == b"cache-control" and b"no-store" in v for k, v in own)
                headers = [(k, v) for k, v in own if k.lower() not in (b"cache-control", b"content-security-policy")
                           or k.lower() == b"cache-control" and (not is_api or kept)]
                headers += [*_COMMON, (b"content-security-policy", csp)]
                if is_api and not kept:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
