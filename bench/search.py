"""Time search and suggestions on the full catalogue (17,472 films, ~70,000 people).

Run from the project root:

    .venv/bin/python bench/search.py                 # SQLite, prepared database cached in /tmp
    .venv/bin/python bench/search.py --postgres      # local PostgreSQL, db kc_search_bench
    .venv/bin/python bench/search.py --queries 300 --fresh --reviews 500

Setup (once; reused until --fresh): migrate, `import_films`, 12 critics and N live reviews
(`bench/pages.py`'s seeding, fixed seed), then `search_rebuild`; on PostgreSQL also ANALYZE.
The SQLite file is /tmp/kc_search_bench_<reviews>.sqlite3; the PostgreSQL database
kc_search_bench is kept for the next run (--fresh drops it, --drop drops it at the end).

Queries (fixed seed): catalogue titles and names as readers type them — exact, lower case,
one or two typos, accents and umlauts dropped or written out (ü → ue), leading article moved
to the end, names in the other order, partial titles — plus a list of hand-picked cases
("Casablanka", "Fatih Akin", "Muenchen", "Lives of Others, The"). Suggest gets what a reader
has typed so far (a prefix of each query). Requests go through django.test.Client (DEBUG off,
no page cache): p50/p95/max in ms, and the function alone (services.search / suggest).
Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from common import psql, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "kc_search_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SEED = 20_261_125
HAND_PICKED = [
    "Casablanka",
    "casablanca",
    "Fatih Akin",
    "Akin Fatih",
    "Muenchen",
    "Björk",
    "Lives of Others, The",
    "godfather",
    "Kubrik",
    "stanley kubrik",
    "schindlers list",
    "Amelie",
    "Pedro Almodovar",
    "Francois Truffaut",
    "Werner Herzog",
    "Krzysztof Kieslowski",
    "Wong Kar Wai",
    "Bjork",
    "Inglorious Basterds",
    "lord of the rings",
    "Harry Poter",
    "Amadeus",
    "Meryl Streep",
    "Scarlett Johanson",
    "Downfal",
]
UMLAUT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


# --- queries ------------------------------------------------------------------------------------


def typo(rng: random.Random, word: str, n: int = 1) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    chars = list(word)
    for _ in range(n):
        if len(chars) < 4:
            break
        i = rng.randrange(1, len(chars) - 1)
        op = rng.choice(["swap", "replace", "drop", "double"])
        if op == "swap":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op == "replace":
            chars[i] = rng.choice(letters)
        elif op == "drop":
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def strip_accents(text: str) -> str:
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace("ı", "i")


def reader_queries(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(kind of query, text) pairs: catalogue titles and names as readers type them."""
    from kinocritics.films.models import Credit, Film, Person

    films = list(
        Film.objects.filter(year__gte=1960).order_by("?").values_list("title", flat=True)[: n * 2]
    )
    busy = (
        Credit.objects.values("person_id")
        .order_by()
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id"))
        .filter(n__gte=5)
        .values_list("person_id", flat=True)[: n * 4]
    )
    people = list(Person.objects.filter(pk__in=list(busy)).values_list("name", flat=True))
    rng.shuffle(people)
    accented = [p for p in people if strip_accents(p) != p or any(c in p for c in "äöüÄÖÜ")]
    the_films = [f for f in films if f.startswith("The ")] or films
    queries: list[tuple[str, str]] = [("hand-picked", q) for q in HAND_PICKED]
    makers = [
        ("exact title", lambda: rng.choice(films)),
        ("title lower case", lambda: rng.choice(films).lower()),
        ("title 1 typo", lambda: typo(rng, rng.choice(films).lower())),
        ("title 2 typos", lambda: typo(rng, rng.choice(films).lower(), 2)),
        ("partial title", lambda: " ".join(rng.choice(films).split()[:2])),
        ("article at end", lambda: _article_last(rng.choice(the_films))),
        ("name", lambda: rng.choice(people)),
        ("name 1 typo", lambda: typo(rng, rng.choice(people))),
        ("name other order", lambda: " ".join(reversed(rng.choice(people).split()))),
        ("name accents dropped", lambda: strip_accents(rng.choice(accented or people))),
        ("name umlauts written out", lambda: rng.choice(accented or people).translate(UMLAUT_OUT)),
    ]  # fmt: skip
    while len(queries) < n:
        label, make = rng.choice(makers)
        queries.append((label, make()))
    return queries[:n]


def _article_last(title: str) -> str:
    first, _, rest = title.partition(" ")
    return f"{rest}, {first}" if first in ("The", "A", "An") and rest else title


def typed_so_far(rng: random.Random, query: str) -> str:
    """What the suggest box holds mid-typing: at least 2 characters, often most of the query."""
    cut = max(2, int(len(query) * rng.uniform(0.35, 1.0)))
    return query[:cut]


# --- measuring ----------------------------------------------------------------------------------


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"p50 {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {ordered[-1]:6.1f} ms   (n={len(ordered)})"
    )


def measure(label: str, func, items) -> list[float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        func(item)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"  {label:<26} {stats(samples)}")
    return samples


def bench(args, *, prepared: bool, on_prepared=None) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from kinocritics.films.models import Film, Person
    from kinocritics.search import services
    from kinocritics.search.models import SearchEntry, SearchToken

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not prepared:
        sys.path.insert(0, str(ROOT / "bench"))
        import pages  # bench/pages.py: migrate, import_films, critics and reviews

        pages.prepare(args.reviews)
        from django.core.management import call_command

        out = io.StringIO()
        timed("search_rebuild", lambda: call_command("search_rebuild", stdout=out))
        print("   ", out.getvalue().strip().splitlines()[-1])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                timed("ANALYZE", lambda: cursor.execute("ANALYZE"))
        if on_prepared:
            on_prepared()
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # in case migrations were added since
        print("setup: reusing the prepared database (--fresh rebuilds it)")
    print(
        f"catalogue: {Film.objects.count():,} films, {Person.objects.count():,} people; "
        f"index: {SearchEntry.objects.count():,} entries, {SearchToken.objects.count():,} tokens"
    )
    print(f"DEBUG={settings.DEBUG}; load average {os.getloadavg()[0]:.2f}")

    rng = random.Random(SEED)
    queries = reader_queries(rng, args.queries)
    typed = [typed_so_far(rng, q) for _, q in queries]
    client = Client(HTTP_HOST="localhost")

    # Warm up: the SQLite vocabulary, connection, templates, rapidfuzz.
    for q in HAND_PICKED[:5]:
        client.get("/search/", {"q": q})
        client.get("/search/suggest", {"q": q[:4]})

    print("\nHTTP through django.test.Client")
    search_ms = measure(
        "GET /search/?q=", lambda q: client.get("/search/", {"q": q}), [q for _, q in queries]
    )
    suggest_ms = measure(
        "GET /search/suggest?q=", lambda q: client.get("/search/suggest", {"q": q}), typed
    )
    print("\nthe function alone")
    measure("services.search()", services.search, [q for _, q in queries])
    measure("services.suggest()", services.suggest, typed)

    print("\nby kind of query (HTTP search)")
    by_label: dict[str, list[float]] = {}
    for (label, _), ms in zip(queries, search_ms, strict=True):
        by_label.setdefault(label, []).append(ms)
    for label, samples in sorted(by_label.items()):
        print(f"  {label:<26} {stats(samples)}")

    print("\nslowest searches")
    for ms, (label, q) in sorted(zip(search_ms, queries, strict=True), reverse=True)[:5]:
        print(f"  {ms:7.1f} ms  {label:<26} {q!r}")
    print("slowest suggestions")
    for ms, q in sorted(zip(suggest_ms, typed, strict=True), reverse=True)[:5]:
        print(f"  {ms:7.1f} ms  {q!r}")

    print("\nwhat the hand-picked queries find first")
    for q in HAND_PICKED:
        results = services.search(q)
        top = results.groups[0].hits[0] if results.groups else None
        where = f"{top.kind}: {top.title} ({top.subtitle})" if top else "nothing"
        print(f"  {q!r:<26} → {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help=f"Use local PostgreSQL ({PG_URL}).")
    parser.add_argument("--queries", type=int, default=300, help="Queries to time (default 300).")
    parser.add_argument("--reviews", type=int, default=500, help="Live reviews to seed.")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the prepared database.")
    parser.add_argument("--drop", action="store_true", help="PostgreSQL: drop the db at the end.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    tmp = Path(tempfile.gettempdir())

    if args.postgres:
        os.environ["MEDIA_ROOT"] = str(tmp / "kc_search_bench_pg_media")
        marker = tmp / f"{PG_DB}_{args.reviews}.complete"
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'")  # noqa: S608
        if args.fresh or not exists or not marker.exists():
            marker.unlink(missing_ok=True)
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")
            psql(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
        try:
            bench(args, prepared=marker.exists(), on_prepared=marker.touch)
        finally:
            from django.db import connections

            connections.close_all()
            if args.drop:
                psql(f"DROP DATABASE IF EXISTS {PG_DB}")
                marker.unlink(missing_ok=True)
        return

    cached = tmp / f"kc_search_bench_{args.reviews}.sqlite3"
    complete = Path(f"{cached}.complete")
    media = tmp / f"kc_search_bench_{args.reviews}_media"
    if args.fresh or not complete.exists():
        for path in (cached, Path(f"{cached}-wal"), Path(f"{cached}-shm"), complete):
            path.unlink(missing_ok=True)
        shutil.rmtree(media, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{cached}"
    os.environ["MEDIA_ROOT"] = str(media)
    bench(args, prepared=complete.exists(), on_prepared=complete.touch)
    print(f"\nprepared database kept in {cached}; --fresh rebuilds it")


if __name__ == "__main__":
    main()
