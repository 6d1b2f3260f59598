"""Time FilmMatcher on the full catalogue: building it, and 2,000 listing titles matched.

Run from the project root:

    .venv/bin/python bench/match_titles.py

Uses /tmp/kino_bench_match.sqlite3, migrating it and importing the catalogue the first time
(about 40 s) and reusing it afterwards. Prints figures only; it never asserts on timing.
"""

import argparse
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = Path(tempfile.gettempdir()) / "kino_bench_match.sqlite3"
CALLS = 2000
WHEN_YEAR = 2014  # the bundled catalogue ends in 2014; "recent" is judged against it

UNKNOWN_WORDS = [
    *("Glass", "Harbour", "Midnight", "Lantern", "Quiet", "Orbit", "Paper", "Tiger"),
    *("Velvet", "Static", "Winter", "Engine", "Silver", "Horizon", "Hollow", "Crown"),
    *("Electric", "Meadow", "Copper", "Sky", "Distant", "Signal"),
]


def typo(title: str, rng: random.Random) -> str:
    """One letter replaced, dropped or doubled, as a cinema's web page might have it."""
    positions = [i for i, ch in enumerate(title) if ch.isalpha()]
    if not positions:
        return title
    i = rng.choice(positions)
    kind = rng.choice(("replace", "drop", "double"))
    if kind == "replace":
        return title[:i] + rng.choice(string.ascii_lowercase) + title[i + 1 :]
    if kind == "drop":
        return title[:i] + title[i + 1 :]
    return title[:i] + title[i] + title[i:]


def sequel(title: str, rng: random.Random) -> str:
    """A numbered part of the title, which must not match the title itself."""
    return rng.choice((f"{title} 2", f"{title}: Part Two", f"{title} III", f"{title} - Teil 2"))


def inverted(title: str) -> str:
    """'The Lives of Others' as an A–Z list prints it: 'Lives of Others, The'."""
    first, _, rest = title.partition(" ")
    return f"{rest}, {first}" if first.lower() in {"the", "a", "an"} and rest else title


def listing_mix(films: list[tuple[int, str, int | None]], rng: random.Random) -> list[tuple]:
    """(kind, source film id, title, year hint): exact titles, typos, sequels, unknown titles."""
    mix = []
    for n in range(CALLS):
        film_id, title, year = rng.choice(films)
        hint = year if rng.random() < 0.5 else None
        kind = ("exact", "case/article", "typo", "sequel", "unknown")[n % 5]
        if kind == "exact":
            mix.append((kind, film_id, title, hint))
        elif kind == "case/article":
            listed = inverted(title) if rng.random() < 0.5 else title.upper()
            mix.append((kind, film_id, listed, hint))
        elif kind == "typo":
            mix.append((kind, film_id, typo(title, rng), hint))
        elif kind == "sequel":
            mix.append((kind, film_id, sequel(title, rng), None))
        else:
            words = rng.sample(UNKNOWN_WORDS, rng.randint(2, 4))
            mix.append((kind, None, " ".join(words), None))
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench(*, seed: int) -> None:
    """Prepare the database once, then time the build and the calls."""
    import django
    from django.core.management import call_command

    django.setup()

    import datetime as dt

    from kinocritics.cinemas.matching import FilmMatcher
    from kinocritics.films.models import Film

    call_command("migrate", verbosity=0)
    if not Film.objects.exists():
        print("importing the catalogue (first run only) …")
        call_command("import_films", "--no-progress", stdout=StringIO(), stderr=StringIO())

    today = dt.date(WHEN_YEAR, 6, 1)
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        matcher = FilmMatcher.from_db(today=today)
        builds.append(time.perf_counter() - started)
    print(f"catalogue: {len(matcher):,} films in {DB_PATH}")
    print(f"build FilmMatcher.from_db: {min(builds) * 1000:.0f} ms best of 3")

    rng = random.Random(seed)
    films = list(Film.objects.values_list("pk", "title", "year").order_by("pk"))
    titles = {pk: title for pk, title, _ in films}
    mix = listing_mix(films, rng)
    timings: list[float] = []
    decisions: dict[str, Counter] = {}
    for kind, source_id, title, hint in mix:
        started = time.perf_counter()
        result = matcher.match(title, year=hint)
        timings.append((time.perf_counter() - started) * 1000)
        counts = decisions.setdefault(kind, Counter())
        counts[result.decision] += 1
        # A sequel accepted as its namesake, or a title accepted as a film with another
        # title, is the error the rules exist to prevent. (Same-titled remakes picked by a
        # year hint within a year count as right.)
        if result.decision == "accept" and source_id is not None:
            wrong = (
                result.film_id == source_id
                if kind == "sequel"
                else (titles[result.film_id] != titles[source_id])
            )
            counts["wrong accept"] += wrong

    print(
        f"{len(mix):,} match() calls: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms, "
        f"total {sum(timings) / 1000:.2f} s"
    )
    columns = ("accept", "review", "none", "wrong accept")
    print(f"\n{'listing kind':<14}" + "".join(f"{c:>14}" for c in columns))
    total: Counter = Counter()
    for kind, counts in decisions.items():
        total.update(counts)
        print(f"{kind:<14}" + "".join(f"{counts[c]:>14}" for c in columns))
    print(f"{'all':<14}" + "".join(f"{total[c]:>14}" for c in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="Seed for the listing mix.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    try:
        bench(seed=args.seed)
    finally:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
