"""A small load generator: a few threads, each with its own keep-alive connection, send GET requests
to one URL (or POST a JSON body made afresh for each request) for a fixed time; the answer is throughput
and latency percentiles. Bounded in time and count, and only ever to this machine."""

from __future__ import annotations

import http.client
import itertools
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    seconds: float,
    threads: int = 4,
    max_requests: int = 100_000,
    body: Callable[[int], dict] | None = None,
) -> LoadResult:
    """GET ``path`` (answered 200), or with ``body`` POST ``body(n)`` for the n-th request (answered 201)."""
    assert path.startswith("/")
    counter = itertools.count()
    method, expected = ("POST", 201) if body else ("GET", 200)
    if body:
        headers = {**headers, "Content-Type": "application/json"}
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop_at = time.monotonic() + seconds
    budget = max_requests // threads

    def worker(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(budget):
            if time.monotonic() >= stop_at:
                break
            payload = json.dumps(body(next(counter))).encode() if body else None
            started = time.perf_counter()
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expected
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies[i].append((time.perf_counter() - started) * 1000)
            errors[i] += 0 if ok else 1
        connection.close()

    began = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(x for xs in latencies for x in xs)
    return LoadResult(
        requests=len(every),
        errors=sum(errors),
        seconds=elapsed,
        p50_ms=statistics.median(every) if every else 0.0,
        p95_ms=percentile(every, 0.95),
        p99_ms=percentile(every, 0.99),
    )
