"""Evaluations off the event loop, a few at a time, each within its time limit.

Reading, validating and evaluating input is CPU work: it runs in a pool of
``max_concurrent_evaluations`` worker threads, so the server keeps answering (health, pages,
other requests) while it works. A request waits for its answer at most
``evaluation_timeout_seconds``, queueing included; past it the client gets a 503 problem
document, a job that has not started yet is dropped, and one already running finishes in its
thread (a thread cannot be stopped) and its answer is thrown away: so at most
``max_concurrent_evaluations`` evaluations ever run at once, abandoned ones included.

The pool is made on first use (a host that mounts the app without running its lifespan gets it
too) and shut down by :meth:`Jobs.close`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from emulation_rules.service.problems import ServiceProblem

T = TypeVar("T")


class Jobs:
    """The worker pool of one app."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.workers, thread_name_prefix="emulation-rules-eval"
                )
            return self._pool

    async def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` in a worker thread; a 503 :class:`ServiceProblem` past the time limit."""
        future = self._executor().submit(fn)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            future.cancel()  # dropped if it has not started; else it finishes unheard
            raise ServiceProblem(
                "timeout",
                f"the evaluation took longer than this server's limit of {self.timeout:g} s "
                "(evaluation_timeout_seconds; emulation-rules serve --timeout): send fewer "
                "candidates, or ask the operator to raise the limit",
            ) from None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
