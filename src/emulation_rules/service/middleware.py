"""Two pure ASGI middlewares: the request body limit, enforced while the body arrives, and the
last resort that turns any error escaping the app into a problem document.

The body limit:

A request announcing more than the limit in ``Content-Length`` is answered 413 before its body
is read; a body without a length (chunked) is counted as it arrives, and the first chunk past
the limit ends the request with 413. Nothing past the limit is kept in memory. The answer is a
problem document (API) or a page (a browser's upload), whichever the request asked for.

Any answer given before the request's body was read whole says ``Connection: close``: the
unread rest would otherwise be taken for the next request on the connection.

The last resort: an exception no handler of the app answered (a bug, in the library or a plugin)
is logged with a reference and answered 500 with a problem document giving the reference, never
the traceback; the framework's own error page is never reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from emulation_rules.service.problems import ServiceProblem, from_library_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
#: answers a problem the middleware raised (the app's own error handler)
Responder = Callable[[Scope, ServiceProblem, Send], Awaitable[None]]


def too_large(limit: int) -> ServiceProblem:
    return ServiceProblem(
        "too-large",
        f"the request body is larger than this server's limit of {limit:,} bytes "
        "(max_document_bytes; emulation-rules serve --max-body-bytes)",
    )


def _closing(send: Send) -> Send:
    """``send`` with ``Connection: close`` on the answer: given before the body was read (a
    refused size, an unknown campaign, a refused media type), the connection cannot carry
    another request, so the client is told."""

    async def closing_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
            message["headers"] = [*headers, (b"connection", b"close")]
        await send(message)

    return closing_send


class BodySizeLimit:
    """Refuse request bodies larger than ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int, respond: Responder) -> None:
        self.app = app
        self.limit = limit
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = -1
                if announced > self.limit:
                    await self.respond(scope, too_large(self.limit), _closing(send))
                    return
        received = 0
        started = False
        has_body = any(
            name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0")
            for name, value in scope.get("headers", ())
        )
        body_done = not has_body

        async def counted_receive() -> Message:
            nonlocal received, body_done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise too_large(self.limit)
                if not message.get("more_body", False):
                    body_done = True
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await (send if body_done else _closing(send))(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except ServiceProblem as problem:
            if started:  # an answer is under way: nothing more can be said
                raise
            await self.respond(scope, problem, tracked_send)


class LastResort:
    """Answer any exception that escapes ``app`` with ``respond`` (a 500 problem document)."""

    def __init__(self, app: ASGIApp, respond: Responder) -> None:
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as exc:
            if started:  # half an answer is out: the server ends the connection
                raise
            await self.respond(scope, from_library_error(exc), send)
