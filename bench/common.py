"""What every benchmark script needs: psql on the local server, a timer, percentiles.

The scripts run as `.venv/bin/python bench/<name>.py`, so `bench/` is on sys.path and they
`import common`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time


def psql(sql: str, *, db: str = "postgres") -> str:
    """Run one statement as postgres on 127.0.0.1; returns its unaligned output, stripped."""
    psql_bin = shutil.which("psql")
    if psql_bin is None:
        sys.exit("psql not found; install the PostgreSQL client to use --postgres.")
    # Fixed arguments; the scripts build their SQL from constants only.
    done = subprocess.run(  # noqa: S603
        [psql_bin, "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qAt", "-c", sql],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )
    if done.returncode:
        sys.exit(f"psql failed ({done.returncode}) on: {sql}\n{done.stderr.strip()}")
    return done.stdout.strip()


def timed(label: str, func, *, width: int = 40):
    """Call func, print the elapsed seconds and return its result."""
    started = time.perf_counter()
    result = func()
    print(f"  {label:<{width}} {time.perf_counter() - started:8.2f} s", flush=True)
    return result


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1–99) of the values, inclusive method."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]
