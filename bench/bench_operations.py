"""Cost per request of the access log and the metrics, measured on the observers themselves.

    .venv/bin/python bench/bench_operations.py [--calls 50000]

Times :class:`api.access_log.AccessLog` (a JSON line through the ``medialit.access`` logger to
standard error, here redirected to ``/dev/null``) and :class:`api.metrics.Metrics` (one counter,
one histogram) for the same autosave record, and prints microseconds per request. Compare with the
server CPU per request that ``bench/bench_api.py`` reports (about a millisecond on this machine).
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.access_log import AccessLog  # noqa: E402
from api.metrics import Metrics  # noqa: E402
from api.observing import RequestRecord  # noqa: E402

RECORD = RequestRecord("5f0c9a1e2b3d4c6f", "PUT", "/api/v1/attempts/{attempt_id}/answers/{exercise_id}", 200, 3.412)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50_000)
    calls = parser.parse_args().calls
    out, sys.stderr = sys.stderr, open("/dev/null", "w")
    try:
        log, metrics = AccessLog(), Metrics(queue_depth=lambda: 0)
        log_us = min(timeit.repeat(lambda: log(RECORD), number=calls, repeat=3)) / calls * 1e6
        metrics_us = min(timeit.repeat(lambda: metrics(RECORD), number=calls, repeat=3)) / calls * 1e6
    finally:
        sys.stderr = out
    print(f"access log  {log_us:6.1f} µs per request")
    print(f"metrics     {metrics_us:6.1f} µs per request")


if __name__ == "__main__":
    main()
