"""A small load generator: a few threads, each with its own keep-alive connection, send GET requests
to one URL for a fixed time; the answer is throughput and latency percentiles. Bounded in time and
count, and only ever to this machine."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
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
) -> LoadResult:
    assert path.startswith("/")
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop_at = time.monotonic() + seconds
    budget = max_requests // threads

    def worker(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(budget):
            if time.monotonic() >= stop_at:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
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
