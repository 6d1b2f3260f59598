"""Time review_list_parse on a generated 300-entry festival review list, with and without a matcher.

Run from the project root:

    .venv/bin/python bench/festival_list.py
    .venv/bin/python bench/festival_list.py --entries 1000 --repeat 3 --show 2

The list is generated with a fixed seed: titles from the catalogue (most of them from the
edition's years, some older with their year, inverted when they start with an article, a few
with a typo) and invented ones, wrapped prose, co-ratings, start lines, cross-references and
a sprinkling of the mistakes the parser flags. Critics are invented and held in memory;
nothing is written to the database. The match table checks every accept against the title
the entry was drawn from.

The catalogue comes from /tmp/kino_bench_match.sqlite3, shared with bench/match_titles.py:
reused as it is when it holds films, otherwise migrated and filled by `import_films` (about
40 s, first run only). Prints figures only; it never asserts on timing.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = Path(tempfile.gettempdir()) / "kino_bench_match.sqlite3"
EDITION_YEAR = 2014  # the bundled catalogue ends in 2014
FESTIVAL_YEARS = (2013, 2014)  # films a 2014 edition would show

CRITICS = [
    ("Greta Holm", "GH"),
    ("Pia Lindenau", "PL"),
    ("Ruth Okafor", "RO"),
    ("Mara Vogt", "MV"),
    ("Iris O’Dwyer", "IO"),
    ("Lotte Schäfer", "LS"),
    ("Fenna Brink", "FB"),
    ("Hedda Vanselow", "HV"),
    ("Carla Mendes", "CM"),
    ("Ulla Tiedemann", "UT"),
    ("Wiebke Armbruster", "WA"),
    ("Edith Kowalczyk", "EK"),
]
DIRECTORS = [
    *("Vera Lindqvist", "Tomas Berg", "Ana Ruiz", "Oskar Brenner", "Mirela Kovač"),
    *("Walter Greenleaf, Jr.", "Amira Haddad", "Jonas van der Berg", "Paola Reni"),
    *("Jean-Luc d’Orsay", "Ilse Brandt", "Kenji Morimoto", "Sade Adeyemi", "Lars Ekdahl"),
]
COUNTRIES = [
    *("Germany", "France", "U.S.A.", "UK", "Denmark", "Sweden", "Italy", "Spain", "Iran"),
    *("Japan", "Nigeria", "Austria", "Poland", "Bosnia and Herzegovina", "Argentina"),
]
INVENTED_WORDS = [
    *("Glass", "Harbour", "Midnight", "Lantern", "Quiet", "Orbit", "Paper", "Tiger"),
    *("Velvet", "Static", "Winter", "Engine", "Silver", "Horizon", "Hollow", "Melon"),
    *("Copper", "Meadow", "Route", "Distant", "Signal", "Salt", "Marsh", "Anchor"),
]
PROSE = [
    "The film takes its time and earns it.",
    "A family gathers for a funeral nobody wanted, and the house fills with old grudges, "
    "new lovers and far too much food.",
    "The camera stays patient, the actors never push, and the last scene lands softly but hard.",
    "Some of the middle sags, and one subplot about a neighbour's dog goes nowhere.",
    "Yet the director's eye for faces carries it through.",
    "Worth seeing on the big screen, in the original language, with an audience that laughs "
    "in the right places.",
    "The score is all cello and rain; it works better than it should.",
    "Its lead, a first-time actor, holds every close-up as if she had done this for years.",
]
STARTS = ["Starts December 27", "Starts 9 January 2015", "German release: 13.11.2014"]
STARTS += ["Starts November 6", "Starts in the spring", "German release: not yet set"]
POINTERS = ["See festival coverage", "See detailed review", "See detailed review by MV"]
MISTAKES = ["bad stars", "unknown initials", "author co-rates", "no author line"]


def stars(rng: random.Random) -> str:
    """Stars as the old site wrote them, halves sometimes as ½."""
    half = rng.randint(2, 8)
    return "*" * (half // 2) + (rng.choice(("1/2", "½", " 1/2")) if half % 2 else "")


def inverted(title: str) -> str:
    """'The Lives of Others' as an A–Z list prints it: 'Lives of Others, The'."""
    first, _, rest = title.partition(" ")
    return f"{rest}, {first}" if first.lower() in {"the", "a", "an"} and rest else title


def typo(title: str, rng: random.Random) -> str:
    """One letter dropped, as a hurried typist might."""
    positions = [i for i, ch in enumerate(title) if ch.isalpha()]
    if len(positions) < 6:
        return title
    i = rng.choice(positions[1:])
    return title[:i] + title[i + 1 :]


def entry_text(
    *, title: str, film_year: int | None, rng: random.Random, mistake: str | None
) -> str:
    """One block of the list; `mistake` plants an error the parser should flag."""
    author, author_initials = rng.choice(CRITICS)
    rating = stars(rng) if rng.random() < 0.9 else ""
    if mistake == "bad stars":
        rating = rng.choice(("*****", "**3/4", "***1/3"))
    director = ", ".join(rng.sample(DIRECTORS, 1 if rng.random() < 0.85 else 2))
    countries = "/".join(rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2, 3))))
    director_line = f"{director}, {countries}" + (f", {film_year}" if film_year else "")
    lines = [f"{title} {rating}".strip(), director_line]
    if rng.random() < 0.4:
        lines.append(rng.choice(STARTS))
    if rng.random() < 0.08:
        lines.append(rng.choice(POINTERS))
    else:
        prose = " ".join(rng.sample(PROSE, rng.randint(2, len(PROSE))))
        lines.extend(textwrap.wrap(prose, width=rng.choice((60, 72, 80))))
        if rng.random() < 0.05:
            lines.append(rng.choice(POINTERS))
    others = [c for c in CRITICS if c[1] != author_initials]
    co = [f"{initials}{rng.choice(('', ' '))}{stars(rng)}" for _, initials in rng.sample(
        others, rng.randint(0, 4)
    )]  # fmt: skip
    if mistake == "unknown initials":
        co.append(f"XQ{stars(rng)}")
    elif mistake == "author co-rates":
        co.append(f"{author_initials}{stars(rng)}")
    if mistake != "no author line":
        lines.append(f"({', '.join([author, *co])})")
    return "\n".join(lines)


def review_list(
    *, catalogue: list[tuple[int, str, int | None]], entries: int, rng: random.Random
) -> tuple[str, list[tuple[str, str | None]]]:
    """The list's text, and per block its kind and the catalogue title it was drawn from."""
    from kinocritics.films.text import normalise_title, sort_key

    recent = [film for film in catalogue if film[2] in FESTIVAL_YEARS]
    older = [film for film in catalogue if film[2] and film[2] < FESTIVAL_YEARS[0]]
    known = {normalise_title(title) for _, title, _ in catalogue}
    drawn: list[tuple[str, str, str, int | None]] = []  # (kind, title, listed as, year)
    while len(drawn) < entries:
        roll = rng.random()
        if roll < 0.55 and recent:
            _, title, _ = rng.choice(recent)
            drawn.append(("catalogue", title, inverted(title), None))
        elif roll < 0.6 and recent:
            _, title, _ = rng.choice(recent)
            drawn.append(("typo", title, typo(title, rng), None))
        elif roll < 0.7 and older:
            _, title, year = rng.choice(older)  # a retrospective: the line gives its year
            drawn.append(("retrospective", title, inverted(title), year))
        else:
            words = rng.sample(INVENTED_WORDS, rng.randint(2, 3))
            title = " ".join(["The", *words] if rng.random() < 0.3 else words)
            if normalise_title(title) not in known:
                drawn.append(("invented", title, inverted(title), None))
    drawn.sort(key=lambda row: sort_key(row[1]))
    blocks = []
    for _kind, _title, listed, year in drawn:
        mistake = rng.choice(MISTAKES) if rng.random() < 0.05 else None
        blocks.append(entry_text(title=listed, film_year=year, rng=rng, mistake=mistake))
    sources = [(kind, None if kind == "invented" else title) for kind, title, _, _ in drawn]
    return "\n\n".join(blocks) + "\n", sources


def timings[T](func: Callable[[], T], *, repeat: int) -> tuple[float, float, T]:
    """Best and median seconds over `repeat` calls (at least one), and the last result."""
    seconds = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - started)
    return min(seconds), statistics.median(seconds), result


def bench(*, seed: int, entries: int, repeat: int, show: int) -> None:
    """Prepare the catalogue once, then time the parse without and with a matcher."""
    import django
    from django.core.management import call_command

    django.setup()

    import datetime as dt

    from django.db import DatabaseError

    from kinocritics.cinemas.matching import FilmMatcher
    from kinocritics.festivals.review_list import CriticRef, review_list_parse
    from kinocritics.films.models import Film

    try:
        ready = Film.objects.exists()
    except DatabaseError:
        ready = False
    if not ready:
        # Only a missing or empty cache is migrated: a filled one is read as it is.
        call_command("migrate", verbosity=0)
        print("importing the catalogue (first run only) …")
        call_command("import_films", "--no-progress", stdout=StringIO(), stderr=StringIO())

    rng = random.Random(seed)
    catalogue = list(Film.objects.values_list("pk", "title", "year").order_by("pk"))
    text, sources = review_list(catalogue=catalogue, entries=entries, rng=rng)
    critics = [
        CriticRef(id=n, name=name, initials=initials)
        for n, (name, initials) in enumerate(CRITICS, start=1)
    ]
    when = dt.date(EDITION_YEAR, 9, 25)
    print(f"list: {entries} entries, {len(text.splitlines()):,} lines, {len(text):,} characters")

    best, median, draft = timings(
        lambda: review_list_parse(text, critics=critics, year=EDITION_YEAR, when=when),
        repeat=repeat,
    )
    flagged = sum(1 for e in draft.entries if e.problems)
    print(
        f"parse without matcher: best {best:.3f} s, median {median:.3f} s "
        f"({len(draft.entries)} entries read, {flagged} with problems, "
        f"{len(draft.problems)} list problems)"
    )

    build_best, _, matcher = timings(lambda: FilmMatcher.from_db(today=when), repeat=1)
    print(f"build FilmMatcher.from_db: {build_best:.2f} s ({len(matcher):,} films in {DB_PATH})")
    best, median, draft = timings(
        lambda: review_list_parse(
            text, critics=critics, matcher=matcher, year=EDITION_YEAR, when=when
        ),
        repeat=repeat,
    )
    print(f"parse with matcher:    best {best:.3f} s, median {median:.3f} s")

    if len(draft.entries) != len(sources):
        print(f"\n{len(draft.entries)} entries read from {len(sources)} blocks: no match figures")
    else:
        titles = dict(Film.objects.values_list("pk", "title"))
        decisions: Counter = Counter()
        for entry, (kind, source_title) in zip(draft.entries, sources, strict=True):
            decisions[kind, entry.film_decision] += 1
            # Same-titled remakes picked by the year hint count as right.
            if entry.film_id is not None and titles[entry.film_id] != source_title:
                decisions[kind, "wrong accept"] += 1
        columns = ("accept", "review", "none", "wrong accept")
        print(f"\n{'title kind':<16}" + "".join(f"{c:>14}" for c in columns))
        for kind in ("catalogue", "retrospective", "typo", "invented"):
            print(f"{kind:<16}" + "".join(f"{decisions[kind, c]:>14}" for c in columns))

    # Problems grouped by their wording with the quoted parts blanked out.
    problems = Counter(
        re.sub(r"“[^”]*”", "“…”", problem).split(":")[0]
        for entry in draft.entries
        for problem in entry.problems
    )
    print("\nproblems flagged:")
    for kind, count in problems.most_common():
        print(f"{count:>5}  {kind}")
    for entry in draft.entries[:show]:
        print(f"\n{entry}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1994, help="Seed for the generated list.")
    parser.add_argument("--entries", type=int, default=300, help="Entries in the list.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed parses of each kind.")
    parser.add_argument("--show", type=int, default=0, help="Print the first N entries read.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    try:
        bench(seed=args.seed, entries=args.entries, repeat=args.repeat, show=args.show)
    finally:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
