"""Time the festival edition page (critics' grid) and the review-list parse on a fresh database.

Run from the project root:

    .venv/bin/python bench/festival_edition.py                 # SQLite in a temporary directory
    .venv/bin/python bench/festival_edition.py --postgres      # db kino_bench_festival_edition
    .venv/bin/python bench/festival_edition.py --entries 300 --critics 12 --requests 200
    .venv/bin/python bench/festival_edition.py --profile       # cProfile of default-sort requests

Setup (fixed seed, no catalogue import): migrate, N films written with bulk_create, the
critics of bench/festival_list.py, a big edition whose articles hold --entries festival review
entries (about 2/3 linked to a film, 1/3 free titles; each with the author's stars and 1-4
co-ratings by other critics), 10 capsules and 8 prizes, and a small edition with 30 entries.
Articles are published with save_revision().publish(), so the page_published signal runs
festivals.services.entries_sync and fills FestivalEntry / EntryRating as in production.

Then: GET /festivals/<slug>/<year>/ with the default sort, ?sort=average and ?sort=<initials>
through django.test.Client (DEBUG off, no page cache: uncached renders), round robin after a
warm-up; queries per request for the big and the small edition; a split of the request time
into the selector (edition_page) and the rest (template, middleware). Last, review_list_parse
on a list made by bench/festival_list.py's generator from this database's films, with the
database's critics, without and with FilmMatcher.from_db().

The SQLite file lives in a new temporary directory, the PostgreSQL database is dropped and
recreated on every run (and ANALYZEd after the setup); both are removed at the end unless
--keep is given. Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import festival_list  # noqa: E402  (bench/festival_list.py: its critics and list generator)
from common import percentile, psql, timed  # noqa: E402

PG_DB = "kino_bench_festival_edition"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SEED = 20_140_206
YEAR = festival_list.EDITION_YEAR  # 2014: the generator draws "recent" films from 2013-2014
BIG = ("Berlinale", "berlinale", "Berlin")
SMALL = ("Filmfest Hamburg", "filmfest-hamburg", "Hamburg")
SMALL_ENTRIES = 30
CAPSULES = 10
PRIZES = 8
TARGET_P95_MS = 60
TARGET_PARSE_S = 1.0
SQL_WIDTH = 300

# Film titles of the benchmark catalogue: words the list generator does not invent with.
ADJECTIVES = [
    *("Burning", "Crooked", "Forgotten", "Golden", "Hidden", "Last", "Little", "Long"),
    *("Narrow", "Northern", "Open", "Red", "Restless", "Second", "Secret", "Small"),
    *("Sudden", "Sweet", "Tender", "Wild"),
]
NOUNS = [
    *("Apartment", "Border", "Brothers", "Carnival", "Daughter", "Embassy", "Garden"),
    *("Island", "Journey", "Kingdom", "Letters", "Mountain", "Orchard", "Passage", "River"),
    *("Season", "Sisters", "Stranger", "Summer", "Village"),
]
FREE_WORDS = festival_list.INVENTED_WORDS
AWARDS = [
    ("Golden Bear", ""),
    ("Silver Bear Grand Jury Prize", ""),
    ("Silver Bear for Best Director", ""),
    ("Silver Bear for Best Actress", ""),
    ("Silver Bear for Best Actor", ""),
    ("Alfred Bauer Prize", ""),
    ("Best First Feature Award", "EUR 50,000"),
    ("Teddy Award", "EUR 3,000"),
]


# --- helpers ------------------------------------------------------------------------------


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} ({os.cpu_count()} CPUs)"


class SqlTimer:
    """Adds up the time spent in cursor.execute (on SQLite, rows fetched later are not in it)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


# --- setup --------------------------------------------------------------------------------


def prose(rng: random.Random) -> str:
    return " ".join(rng.sample(festival_list.PROSE, rng.randint(2, 4)))


def films_create(rng: random.Random, count: int) -> list:
    """`count` films, mostly from the edition's years, some older, written with bulk_create."""
    from django.utils.text import slugify

    from kinocritics.films.models import Film
    from kinocritics.films.text import sort_key

    titles: set[str] = set()
    while len(titles) < count:
        words = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        roll = rng.random()
        if roll < 0.25:
            words = f"The {words}"
        elif roll < 0.35:
            words = f"{words} of {rng.choice(NOUNS)}"
        titles.add(words)
    films = []
    for title in sorted(titles):
        year = rng.choice(festival_list.FESTIVAL_YEARS) if rng.random() < 0.8 else None
        year = year or rng.randint(1950, 2010)
        films.append(
            Film(
                title=title,
                sort_title=sort_key(title),  # Film.save() sets it; bulk_create does not
                slug=f"{slugify(title)}-{year}",
                year=year,
                runtime_minutes=rng.randint(75, 160),
            )
        )
    return Film.objects.bulk_create(films)


def review_block(*, author, stars: int, co, film=None, title: str = "", text: str = "") -> dict:
    """Raw StreamField data of one festival review, as festivals/tests/test_pages.py builds it."""
    return {
        "type": "festival_review",
        "value": {
            "film": film.pk if film else None,
            "title": title,
            "stars": str(stars) if stars else "",
            "directors": "Some Director",
            "countries": "Germany/France",
            "german_start": "",
            "text": text,
            "cross_reference": "",
            "author": author.pk,
            "co_ratings": [{"critic": c.pk, "stars": str(s)} for c, s in co],
        },
    }


def review_blocks(rng: random.Random, *, count: int, films: list, critics: list) -> list[dict]:
    """`count` reviews: about 2/3 of distinct films, 1/3 free titles; 1-4 co-ratings each."""
    linked = rng.sample(films, min(len(films), round(count * 2 / 3)))
    catalogue = {film.title.casefold() for film in films}
    free: set[str] = set()
    while len(linked) + len(free) < count:
        title = " ".join(rng.sample(FREE_WORDS, rng.randint(2, 3)))
        if title.casefold() not in catalogue:
            free.add(title)
    subjects = [(film, "") for film in linked] + [(None, title) for title in sorted(free)]
    rng.shuffle(subjects)
    blocks = []
    for film, title in subjects:
        author = rng.choice(critics)
        others = rng.sample([c for c in critics if c != author], rng.randint(1, 4))
        co = [(critic, rng.randint(2, 8)) for critic in others]
        blocks.append(
            review_block(
                author=author, stars=rng.randint(2, 8), co=co, film=film, title=title,
                text=prose(rng),
            )
        )  # fmt: skip
    return blocks


def capsule_block(rng: random.Random, *, films: list, critics: list) -> dict:
    film = rng.choice(films) if rng.random() < 0.7 else None
    return {
        "type": "capsule",
        "value": {
            "film": film.pk if film else None,
            "title": "" if film else " ".join(rng.sample(FREE_WORDS, 2)),
            "text": prose(rng),
            "critic": rng.choice(critics).pk,
            "see_also": None,
            "see_also_text": "",
        },
    }


def prize_block(rng: random.Random, award: tuple[str, str], *, films: list) -> dict:
    film = rng.choice(films) if rng.random() < 0.75 else None
    return {
        "type": "prize",
        "value": {
            "award": award[0],
            "amount": award[1],
            "film": film.pk if film else None,
            "title": "" if film else " ".join(rng.sample(FREE_WORDS, 2)),
            "director": rng.choice(festival_list.DIRECTORS),
        },
    }


def edition_create(name: str, slug: str, city: str):
    from kinocritics.festivals.models import Festival, FestivalEdition

    festival = Festival.objects.create(name=name, slug=slug, city=city)
    return FestivalEdition.objects.create(
        festival=festival, year=YEAR, start_date=dt.date(YEAR, 2, 6),
        end_date=dt.date(YEAR, 2, 16), city=city, sections="Competition\nPanorama\nForum",
    )  # fmt: skip


def article_publish(*, title: str, edition, body: list[dict], authors: list):
    """As festivals/tests/test_pages.py's publish_article: add, set authors, publish a revision."""
    from django.utils.text import slugify

    from kinocritics.festivals.models import ArticleIndexPage, ArticlePage

    article = ArticlePage(
        title=title, slug=slugify(title), kind=ArticlePage.Kind.FESTIVAL_REPORT, edition=edition,
        summary=f"{title}: our reviews.", body=body,
    )  # fmt: skip
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.authors.set(authors)
    article.save_revision().publish()
    return article


def chunks(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def seed(args) -> dict:
    """Films, critics and both editions with published articles; returns what the timing needs."""
    from django.utils.text import slugify

    from kinocritics.critics.models import Critic

    rng = random.Random(SEED)
    if not 2 <= args.critics <= len(festival_list.CRITICS):
        sys.exit(f"--critics must be 2 to {len(festival_list.CRITICS)}.")
    critics = Critic.objects.bulk_create(
        Critic(name=name, slug=slugify(name), initials=initials, bio=f"<p>{name} writes.</p>")
        for name, initials in festival_list.CRITICS[: args.critics]
    )
    films = timed(f"{args.films} films (bulk_create)", lambda: films_create(rng, args.films))

    big = edition_create(*BIG)
    reviews = review_blocks(rng, count=args.entries, films=films, critics=critics)
    parts = chunks(reviews, args.articles)
    for n, part in enumerate(parts, start=1):
        body = [{"type": "paragraph", "value": f"<p>Part {n} of our reviews from Berlin.</p>"}]
        body += part
        if n == 1:
            body += [prize_block(rng, award, films=films) for award in AWARDS[:PRIZES]]
        if n == len(parts):
            body += [capsule_block(rng, films=films, critics=critics) for _ in range(CAPSULES)]
        timed(
            f"publish article {n} ({len(part)} reviews)",
            lambda n=n, body=body: article_publish(
                title=f"{BIG[0]} {YEAR}: Film Reviews Part {n}", edition=big, body=body,
                authors=rng.sample(critics, 2),
            ),
        )  # fmt: skip

    small = edition_create(*SMALL)
    body = review_blocks(rng, count=SMALL_ENTRIES, films=films, critics=critics)
    timed(
        f"publish small article ({SMALL_ENTRIES} reviews)",
        lambda: article_publish(
            title=f"{SMALL[0]} {YEAR}: Reviews", edition=small, body=body, authors=critics[:1]
        ),
    )
    return {"big": big, "small": small, "critics": critics}


def check_rows(args, editions: dict) -> None:
    """entries_sync must have written what was published; exits otherwise."""
    from django.db.models import Count

    from kinocritics.festivals.models import EntryRating, FestivalEntry

    for key, expected in (("big", args.entries), ("small", SMALL_ENTRIES)):
        edition = editions[key]
        kinds = dict(
            FestivalEntry.objects.filter(edition=edition)
            .values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        ratings = EntryRating.objects.filter(entry__edition=edition).count()
        linked = FestivalEntry.objects.filter(edition=edition, kind="review", film__isnull=False)
        print(
            f"  {edition}: {kinds.get('review', 0)} reviews ({linked.count()} linked to a film), "
            f"{kinds.get('capsule', 0)} capsules, {kinds.get('prize', 0)} prizes, "
            f"{ratings} ratings"
        )
        if kinds.get("review", 0) != expected:
            sys.exit(f"entries_sync wrote {kinds.get('review', 0)} reviews, expected {expected}.")


# --- the edition page ---------------------------------------------------------------------


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}; fix the setup before timing.")
    return response


def query_count(client, url: str) -> tuple[int, float, int]:
    """Queries, SQL ms and grid rows of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timer = SqlTimer()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
        html = get(client, url).content.decode()
    return len(ctx.captured_queries), timer.seconds * 1000, html.count('<th scope="row">')


def page_bench(args, editions: dict) -> list[tuple[str, float]]:
    """Time the three sorts of the big edition; returns (url, p95) per sort."""
    from django.test import Client

    big, small = editions["big"], editions["small"]
    initials = editions["critics"][0].initials.lower()
    base = big.get_absolute_url()
    urls = [base, f"{base}?sort=average", f"{base}?sort={initials}"]
    client = Client(HTTP_HOST="localhost")
    for url in urls:  # warm up: templates, URL resolvers, site root paths, sidebar cache
        for _ in range(5):
            get(client, url)

    counts = {}
    for url in urls:
        runs = [query_count(client, url) for _ in range(5)]
        counts[url] = (
            {q for q, _, _ in runs},
            statistics.median(ms for _, ms, _ in runs),
            runs[0][2],
        )
    size = len(get(client, base).content)

    print(f"\nedition page, {args.requests} requests per URL (round robin); {load()} before")
    times: dict[str, list[float]] = {url: [] for url in urls}
    for _ in range(args.requests):
        for url in urls:
            started = time.perf_counter()
            get(client, url)
            times[url].append((time.perf_counter() - started) * 1000)
    header = (
        f"{'URL':<40} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'queries':>8} "
        f"{'SQL ms':>7} {'rows':>5}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for url in urls:
        queries, sql_ms, grid_rows = counts[url]
        p95 = percentile(times[url], 95)
        rows.append((url, p95))
        q = "/".join(str(n) for n in sorted(queries))
        print(
            f"{url:<40} {statistics.median(times[url]):7.1f} {p95:7.1f} {max(times[url]):7.1f} "
            f"{q:>8} {sql_ms:7.1f} {grid_rows:>5}"
        )
    print(f"{load()} after; HTML of the default sort {size / 1024:.0f} KiB")
    print(
        "queries and SQL ms (median time inside cursor.execute) come from 5 separate requests "
        "under CaptureQueriesContext; rows = grid rows in the HTML."
    )

    print("\nqueries per request, small vs big edition (constant if the selector is sound):")
    small_base = small.get_absolute_url()
    for suffix in ("", "?sort=average", f"?sort={initials}"):
        get(client, small_base + suffix)
        q_small, _, rows_small = query_count(client, small_base + suffix)
        q_big, _, rows_big = query_count(client, base + suffix)
        verdict = "same" if q_small == q_big else "DIFFERENT"
        print(
            f"  {suffix or '(default sort)':<16} {rows_small:>4} entries: {q_small:>3} queries   "
            f"{rows_big:>4} entries: {q_big:>3} queries   {verdict}"
        )

    if args.show_sql:
        show_sql(client, base)
    split(client, big, base)
    if args.profile or any(p95 >= TARGET_P95_MS for _, p95 in rows):
        profile(client, base, args.profile_requests)
    return rows


def show_sql(client, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    print(f"\nSQL of one request to {url}:")
    for query in ctx.captured_queries:
        print(f"  {query['time']:>6} s  {query['sql'][:SQL_WIDTH]}")


def split(client, edition, url: str, n: int = 30) -> None:
    """Medians of the whole request, the selector alone and the template alone (no profiler)."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from kinocritics.festivals import selectors

    festival, year = edition.festival.slug, edition.year
    request = RequestFactory(HTTP_HOST="localhost").get(url)
    request_ms, selector_ms, sql_ms, template_ms = [], [], [], []
    for _ in range(n):
        started = time.perf_counter()
        get(client, url)
        request_ms.append((time.perf_counter() - started) * 1000)
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            page = selectors.edition_page(festival=festival, year=year)
            selector_ms.append((time.perf_counter() - started) * 1000)
        sql_ms.append(timer.seconds * 1000)
        # The view's context less the JSON-LD, which is small.
        context = {"page_data": page, "edition": page.edition, "sort": "title"}
        started = time.perf_counter()
        render_to_string("festivals/edition.html", context, request)
        template_ms.append((time.perf_counter() - started) * 1000)
    med = statistics.median
    print(f"\nwhere the time of {url} goes (medians of {n}, measured separately):")
    print(f"  whole request                          {med(request_ms):7.1f} ms")
    print(
        f"  selectors.edition_page()               {med(selector_ms):7.1f} ms"
        f"  (of which SQL {med(sql_ms):.1f})"
    )
    print(f"  template festivals/edition.html        {med(template_ms):7.1f} ms")


def profile(client, url: str, requests: int) -> None:
    from django.db import connection

    profiler = cProfile.Profile()
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        profiler.enable()
        for _ in range(requests):
            get(client, url)
        profiler.disable()
    stats = pstats.Stats(profiler)
    cumulative = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for label, suffix, func in (
            ("selector (edition_page)", "festivals/selectors.py", "edition_page"),
            ("template render", "django/template/backends/django.py", "render"),
        ):
            if filename.endswith(suffix) and name == func:
                cumulative[label] = ct
    print(f"\ncProfile of {requests} requests to {url} (times inflated by the profiler):")
    total = stats.total_tt
    for label, seconds in cumulative.items():
        print(f"  {label:<28} {seconds * 1000 / requests:7.1f} ms/request ({seconds / total:.0%})")
    print(f"  {'SQL (cursor.execute)':<28} {timer.seconds * 1000 / requests:7.1f} ms/request")
    print(f"  {'total':<28} {total * 1000 / requests:7.1f} ms/request")
    print("\ntop 25 by cumulative time:")
    stats.sort_stats("cumulative").print_stats(25)
    print("top 10 by own time:")
    stats.sort_stats("tottime").print_stats(10)


# --- the review-list parse ----------------------------------------------------------------


def parse_bench(args) -> float:
    """Time review_list_parse on a generated list of --entries entries; returns the worst median."""
    from kinocritics.cinemas.matching import FilmMatcher
    from kinocritics.festivals.review_list import critic_refs, review_list_parse
    from kinocritics.films.models import Film

    catalogue = list(Film.objects.values_list("pk", "title", "year").order_by("pk"))
    text, sources = festival_list.review_list(
        catalogue=catalogue, entries=args.entries, rng=random.Random(SEED)
    )
    when = dt.date(YEAR, 2, 16)
    print(
        f"\nreview_list_parse: {args.entries} entries, {len(text.splitlines()):,} lines, "
        f"{len(text):,} characters; {load()}"
    )
    best, _, critics = festival_list.timings(critic_refs, repeat=3)
    print(
        f"  critic_refs() from the database        {best * 1000:7.1f} ms ({len(critics)} critics)"
    )
    best, median, draft = festival_list.timings(
        lambda: review_list_parse(text, critics=critics, year=YEAR, when=when),
        repeat=args.repeat,
    )
    flagged = sum(1 for e in draft.entries if e.problems)
    print(
        f"  parse, critics, no matcher             best {best:.3f} s, median {median:.3f} s "
        f"({len(draft.entries)} entries, {flagged} with problems)"
    )
    worst = median
    best, _, matcher = festival_list.timings(lambda: FilmMatcher.from_db(today=when), repeat=3)
    print(f"  FilmMatcher.from_db()                  {best * 1000:7.1f} ms ({len(matcher)} films)")
    best, median, draft = festival_list.timings(
        lambda: review_list_parse(text, critics=critics, matcher=matcher, year=YEAR, when=when),
        repeat=args.repeat,
    )
    worst = max(worst, median)
    print(f"  parse, critics and matcher             best {best:.3f} s, median {median:.3f} s")
    if len(draft.entries) == len(sources):
        decisions = Counter((kind, e.film_decision) for e, (kind, _) in zip(
            draft.entries, sources, strict=True))  # fmt: skip
        for kind in ("catalogue", "retrospective", "typo", "invented"):
            row = ", ".join(f"{d} {decisions[kind, d]}" for d in ("accept", "review", "none"))
            print(f"    {kind:<14} {row}")
    print(f"  {load()} after")
    return worst


# --- main ---------------------------------------------------------------------------------


def bench(args) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {load()}")
    started = time.perf_counter()
    print("setup:")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    editions = seed(args)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            timed("ANALYZE", lambda: cursor.execute("ANALYZE"))
    check_rows(args, editions)
    print(f"setup took {time.perf_counter() - started:.1f} s")
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    page_cache = getattr(settings, "PAGE_CACHE_ENABLED", False)
    print(
        f"DEBUG={settings.DEBUG}; cache {cache}; "
        + ("PAGE CACHE ON: cached responses" if page_cache else "no page cache: uncached renders")
    )

    rows = page_bench(args, editions)
    worst_parse = parse_bench(args)

    print("\nsummary:")
    for url, p95 in rows:
        verdict = "under" if p95 < TARGET_P95_MS else "OVER"
        print(f"  {url:<40} p95 {p95:6.1f} ms  {verdict} the {TARGET_P95_MS} ms target")
    verdict = "under" if worst_parse < TARGET_PARSE_S else "OVER"
    print(f"  review_list_parse (slowest median)       {worst_parse:6.3f} s   {verdict} 1 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help=f"Use local PostgreSQL ({PG_URL}).")
    parser.add_argument("--entries", type=int, default=300, help="Reviews in the edition (300).")
    parser.add_argument("--articles", type=int, default=4, help="Articles holding them (4).")
    parser.add_argument("--critics", type=int, default=12, help="Critics (12, at most 12).")
    parser.add_argument("--films", type=int, default=300, help="Films in the catalogue (300).")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per URL (200).")
    parser.add_argument("--repeat", type=int, default=5, help="Timed parses of each kind (5).")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the default sort (also when over target)."
    )
    parser.add_argument(
        "--profile-requests", type=int, default=20, help="Requests to profile (20)."
    )
    parser.add_argument("--show-sql", action="store_true", help="Print one request's SQL.")
    parser.add_argument(
        "--keep", action="store_true", help="Keep the database (and the SQLite directory)."
    )
    args = parser.parse_args()

    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    # Uncached renders are what these figures are about: no page cache in front of the views.
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    # WhiteNoise warns once that collectstatic has not run; irrelevant to page timings.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="kino_bench_festival_edition_"))
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    try:
        if args.postgres:
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")
            psql(f"CREATE DATABASE {PG_DB}")
            os.environ["DATABASE_URL"] = PG_URL
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        bench(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"\nkept: {os.environ.get('DATABASE_URL')} (media in {workdir})")
        else:
            if args.postgres:
                psql(f"DROP DATABASE IF EXISTS {PG_DB}")
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
