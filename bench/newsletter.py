"""Newsletter at scale: preparing the recipient snapshot and sending to a local SMTP server.

Run from the project root:

    .venv/bin/python bench/newsletter.py                          # SQLite in a temp directory
    .venv/bin/python bench/newsletter.py --postgres               # db kino_bench_newsletter
    .venv/bin/python bench/newsletter.py --subscribers 100000 --send 100000 --tracemalloc

Setup: migrate a fresh database, then `--subscribers` confirmed subscribers (bulk_create,
5,000 a statement), 1% of them also on the suppression list, plus 2% pending and 2%
unsubscribed ones; one issue with a dozen items.

1. Prepare: `sending.issue_prepare` (render + one INSERT … SELECT snapshot into batches of
   NEWSLETTER_BATCH_SIZE), timed; run three times on fresh issues, best and worst printed.
2. Send: `sending.issue_send_run` to an aiosmtpd server running in a separate process on
   127.0.0.1 (it only counts messages), with Django's SMTP backend, one connection per batch
   and one UPDATE per accepted mail. Prints mails/s overall and per 10,000, the process's
   resident memory (current and peak) at every 10,000 mails, and with --tracemalloc the Python
   allocation peak per 10,000 (slower). Stop early with --send N.
Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import psql

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "kino_bench_newsletter"

SMTP_SERVER = r"""
import asyncio, sys, threading, time
from aiosmtpd.controller import Controller
count = 0
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        return "250 OK"
c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
for line in sys.stdin:
    print(count, flush=True)
"""


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB."""
    with open("/proc/self/statm") as f:
        current = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--send", type=int, default=None, help="stop after N mails (default all)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kino_bench_newsletter_"))
    port = free_port()
    if args.postgres:
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        NEWSLETTER_BATCH_SIZE=str(args.batch_size),
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from kinocritics.newsletter import sending
    from kinocritics.newsletter.models import Issue, IssueItem, Subscriber, Suppression

    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}; migrate {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        now = timezone.now()
        n = args.subscribers
        chunk = 5000
        for start in range(0, n, chunk):
            Subscriber.objects.bulk_create(
                [
                    Subscriber(
                        email=f"reader{i:07d}@example.org",
                        status="confirmed",
                        consent_at=now,
                        confirmed_at=now,
                        consent_text_version="2026-11",
                    )
                    for i in range(start, min(n, start + chunk))
                ]
            )
        extra = [
            Subscriber(email=f"pending{i}@example.org", status="pending") for i in range(n // 50)
        ] + [
            Subscriber(email=f"left{i}@example.org", status="unsubscribed") for i in range(n // 50)
        ]
        Subscriber.objects.bulk_create(extra, batch_size=chunk)
        Suppression.objects.bulk_create(
            [
                Suppression(email=f"reader{i:07d}@example.org", reason="manual")
                for i in range(0, n, 100)
            ],
            batch_size=chunk,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        expected = n - len(range(0, n, 100))
        print(
            f"setup: {n:,} confirmed subscribers (+{len(extra):,} others, {n // 100:,} suppressed) "
            f"in {time.perf_counter() - t:.1f} s; {expected:,} should receive the issue"
        )

        def make_issue(slug: str) -> Issue:
            issue = Issue.objects.create(
                subject="KinoCritics in November 2026",
                slug=slug,
                month=now.date().replace(day=1),
                intro="Hello.\n\nMore.",
            )
            IssueItem.objects.bulk_create(
                [
                    IssueItem(
                        issue=issue,
                        section=s,
                        title=f"Item {k}",
                        url=f"/reviews/item-{k}/",
                        meta="★★★ · by A Critic",
                        text="Some words about the film. " * 4,
                        sort_order=k,
                    )
                    for k, s in enumerate(["review"] * 6 + ["opening"] * 4 + ["showtime"] * 2)
                ]
            )
            return sending.issue_transition(issue_id=issue.pk, to="scheduled", scheduled_at=now)

        times = []
        for run in range(3):
            issue = make_issue(f"prep-{run}")
            t = time.perf_counter()
            issue = sending.issue_prepare(issue_id=issue.pk)
            times.append(time.perf_counter() - t)
            assert issue.recipients == expected, issue.recipients
        print(
            f"prepare ({expected:,} deliveries, batches of {args.batch_size}): "
            f"best {min(times):.2f} s, worst {max(times):.2f} s"
        )
        # Only the last prepared issue is sent; drop the others' deliveries.
        Issue.objects.exclude(pk=issue.pk).delete()

        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SMTP_SERVER, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout.readline().strip() == "ready"
        limit = args.send or expected
        if limit < expected:
            from kinocritics.newsletter.models import Delivery

            cut = (
                Delivery.objects.filter(issue=issue)
                .order_by("id")
                .values_list("id", flat=True)[limit]
            )
            Delivery.objects.filter(issue=issue, id__gte=cut).update(status="skipped")
        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start()
        state = {"sent": 0, "t": time.perf_counter(), "t0": time.perf_counter()}
        print(
            f"{'sent':>8} {'mails/s':>8} {'RSS MB':>7} {'peak MB':>8}"
            + (f" {'py peak MB':>10}" if args.tracemalloc else "")
        )

        def on_sent(k: int) -> None:
            state["sent"] += k
            if state["sent"] % 10_000 == 0 or state["sent"] == limit:
                now_t = time.perf_counter()
                rate = (state["sent"] % 10_000 or 10_000) / (now_t - state["t"])
                state["t"] = now_t
                current, peak = rss_mb()
                line = f"{state['sent']:>8,} {rate:>8.0f} {current:>7.1f} {peak:>8.1f}"
                if args.tracemalloc:
                    line += f" {tracemalloc.get_traced_memory()[1] / 2**20:>10.1f}"
                    tracemalloc.reset_peak()
                print(line, flush=True)

        result = sending.issue_send_run(issue_id=issue.pk, on_sent=on_sent)
        total = time.perf_counter() - state["t0"]
        server.stdin.write("count\n")
        server.stdin.flush()
        received = int(server.stdout.readline())
        server.stdin.close()
        server.terminate()
        p = result.progress
        print(
            f"send: {p.sent:,} sent, {p.failed} failed in {total:.1f} s = {p.sent / total:.0f} "
            f"mails/s; the server received {received:,}; issue {result.issue.status}"
        )
        print(f"load average: {os.getloadavg()[0]:.1f}")
    finally:
        connection.close()
        if args.postgres and not args.keep:
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
