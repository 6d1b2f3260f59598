"""Time the public pages (server side only) against a catalogue-sized database.

Run from the project root:

    .venv/bin/python bench/pages.py                       # SQLite, cached in /tmp
    .venv/bin/python bench/pages.py --postgres            # local PostgreSQL, db kino_bench_pages
    .venv/bin/python bench/pages.py --reviews 2000 --requests 200 --fresh
    .venv/bin/python bench/pages.py --show-sql "critic page" --profile "/reviews/"

Setup: migrate, `import_films` (full catalogue), 12 critics, N live reviews of random films
(fixed seed) spread over ten years with one shared credited still, one reviewed film filled up
to 80 credits. Review pages are written in bulk (Page rows via bulk_create with treebeard
paths, ReviewPage rows via save_base(raw=True)), then Page.find_problems() must be clean. On
PostgreSQL the setup ends with ANALYZE, as autovacuum would do shortly after an import.
The prepared SQLite database is kept in /tmp/kino_bench_pages_<reviews>.sqlite3 and reused
unless --fresh is given; the PostgreSQL database is dropped afterwards unless --keep is given.

Requests go through django.test.Client (no network, no page cache, DEBUG off): the times are
the Django stack plus the database, not what a cached or proxied deployment would show.
Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from common import percentile, psql, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "kino_bench_pages"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SEED = 20_260_101
CRITICS = [
    ("Astrid Brenner", "AB"),
    ("Bernard Okafor", "BO"),
    ("Clara Weiss", "CW"),
    ("Daniel Ferreira", "DF"),
    ("Elif Aydın", "EA"),
    ("Frank Morrow", "FM"),
    ("Greta Halvorsen", "GH"),
    ("Hiroshi Tanaka", "HT"),
    ("Ines Lindqvist", "IL"),
    ("Jonas Petrov", "JP"),
    ("Katrin Vogel", "KV"),
    ("Luca Moretti", "LM"),
]
HEAVY_CREDITS = 80
HEAVY_SLUG_PREFIX = "bench-performer-"
WORDS = ["film", "light", "frame", "shadow", "scene", "city", "night", "music", "face", "story"]


# --- database plumbing --------------------------------------------------------------------


def sqlite_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


# --- setup --------------------------------------------------------------------------------


def png_bytes(width: int, height: int, colours: tuple[tuple, tuple]) -> bytes:
    """A small vertical-gradient PNG made with Pillow."""
    from PIL import Image, ImageDraw

    top, bottom = colours
    image = Image.new("RGB", (width, height), bottom)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(round(a * (1 - t) + b * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def credited_image(title: str, png: bytes, name: str):
    from django.core.files.images import ImageFile

    from kinocritics.core.models import CreditedImage

    image = CreditedImage(title=title, credit="KinoCritics benchmark image")
    image.file = ImageFile(io.BytesIO(png), name=name)
    image.save()
    return image


def words(rng, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def review_body(rng) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        sentences = [f"{words(rng, rng.randint(8, 18)).capitalize()}." for _ in range(5)]
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(paragraphs)


def seed_content(n_reviews: int) -> None:
    """Critics, N live review pages (built in bulk), German openings and one heavy film."""
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone
    from django.utils.text import slugify
    from wagtail.models import Page

    from kinocritics.core.models import this_thursday
    from kinocritics.critics.models import Critic
    from kinocritics.films.models import Credit, Film, Person
    from kinocritics.reviews.models import ReviewIndexPage, ReviewPage
    from kinocritics.reviews.ratings import HALF_STARS

    rng = random.Random(SEED)
    films = list(Film.objects.order_by("id").values_list("id", "slug", "title"))
    if len(films) < n_reviews:
        sys.exit(f"Only {len(films)} films in the catalogue; cannot review {n_reviews}.")

    with transaction.atomic():
        still = credited_image(
            "Benchmark still", png_bytes(1600, 900, ((120, 60, 40), (20, 20, 40))), "still.png"
        )
        portrait = credited_image(
            "Benchmark portrait", png_bytes(480, 480, ((60, 90, 120), (20, 30, 40))), "face.png"
        )
        critics = [
            Critic.objects.create(
                name=name,
                slug=slugify(name),
                initials=initials,
                bio=f"<p>{name} {words(rng, 40)}.</p>",
                photo=portrait,
            )
            for name, initials in CRITICS
        ]

        # Pages in bulk: Page rows through bulk_create (paths computed as treebeard would),
        # then the ReviewPage rows alone through save_base(raw=True), the way loaddata
        # inserts a multi-table child. No revisions; live with back-dated publish times.
        # _get_path/_str2int are treebeard's own helpers for materialised paths.
        index = ReviewIndexPage.objects.get()
        last = index.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        content_type = ContentType.objects.get_for_model(ReviewPage)
        now = timezone.now()
        span = dt.timedelta(days=3652).total_seconds()
        chosen = rng.sample(films, n_reviews)
        when = sorted(now - dt.timedelta(seconds=rng.uniform(3600, span)) for _ in chosen)
        rows = []
        for n, ((film_id, slug, title), published) in enumerate(zip(chosen, when, strict=True)):
            step += 1
            page = Page(
                path=Page._get_path(index.path, index.depth + 1, step),
                depth=index.depth + 1,
                numchild=0,
                translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                locale_id=index.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                url_path=f"{index.url_path}{slug}/",
            )
            rows.append((page, film_id, critics[n % len(critics)], published))
        Page.objects.bulk_create([page for page, *_ in rows], batch_size=500)
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(rows))

        reviews = []
        for page, film_id, critic, _published in rows:
            review = ReviewPage(
                **{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields},
                page_ptr_id=page.pk,
                film_id=film_id,
                critic=critic,
                rating=rng.choice([None, *HALF_STARS]),
                still=still,
                summary=f"{words(rng, 12).capitalize()}.",
                body=review_body(rng),
            )
            review.save_base(raw=True, force_insert=True)
            reviews.append(review)

        # Reviewed films open in Germany the Thursday of their review's week; a few more open
        # this week and next so that the home page lists something.
        openings = {}
        for _page, film_id, _critic, published in rows:
            openings[film_id] = this_thursday(timezone.localtime(published).date())
        unreviewed = [f[0] for f in films if f[0] not in openings]
        week = this_thursday(timezone.localdate())
        for n, film_id in enumerate(rng.sample(unreviewed, 12)):
            openings[film_id] = week + dt.timedelta(days=7 * (n % 2))
        Film.objects.bulk_update(
            [Film(id=film_id, german_opening=day) for film_id, day in openings.items()],
            ["german_opening"],
            batch_size=1000,
        )

        # The heavy case: a reviewed film (not the newest, which leads the home page) with
        # fewer credits gets filled up to HEAVY_CREDITS with invented performers.
        counts = dict(
            Credit.objects.filter(film_id__in=[film_id for _p, film_id, *_ in rows])
            .values_list("film_id")
            .annotate(n=Count("id"))
        )
        heavy_id = next(
            film_id
            for _p, film_id, *_ in rows[len(rows) // 2 :]
            if counts.get(film_id, 0) < HEAVY_CREDITS
        )
        position = counts.get(heavy_id, 0)
        extra = Person.objects.bulk_create(
            Person(name=f"Bench Performer {n:02d}", slug=f"{HEAVY_SLUG_PREFIX}{n:02d}")
            for n in range(HEAVY_CREDITS - position)
        )
        credits = []
        for person in extra:
            credits.append(
                Credit(film_id=heavy_id, person=person, role="actor", sort_order=position)
            )
            position += 1
        Credit.objects.bulk_create(credits)

    from wagtail.search.backends import get_search_backend

    timed("search index (add_bulk)", lambda: get_search_backend().add_bulk(ReviewPage, reviews))


def check_tree() -> None:
    """The tree must be sound: treebeard's checks plus url_path and live flags of reviews."""
    from wagtail.models import Page

    from kinocritics.reviews.models import ReviewIndexPage, ReviewPage

    problems = Page.find_problems()
    if any(problems):
        sys.exit(f"Page.find_problems() reports problems: {problems}")
    index = ReviewIndexPage.objects.get()
    wrong = [
        p.pk
        for p in ReviewPage.objects.only("url_path", "slug")
        if p.url_path != f"{index.url_path}{p.slug}/"
    ]
    not_live = ReviewPage.objects.filter(live=False).count()
    if wrong or not_live:
        sys.exit(f"Bad review pages: url_path of {wrong[:5]}…, {not_live} not live")
    print("  tree check: Page.find_problems() clean, url_path and live correct")


def prepare(n_reviews: int) -> None:
    from django.core.management import call_command

    timed("migrate", lambda: call_command("migrate", verbosity=0))
    out = io.StringIO()
    timed(
        "import_films --no-progress",
        lambda: call_command("import_films", "--no-progress", stdout=out, stderr=io.StringIO()),
    )
    print(f"    {out.getvalue().strip()}")
    timed(f"critics and {n_reviews} reviews", lambda: seed_content(n_reviews))
    timed("tree check", check_tree)


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Kind:
    name: str
    urls: list[str]


def url_kinds(rng) -> list[Kind]:
    from django.db.models import Count, Max
    from django.db.models.functions import ExtractMonth, ExtractYear

    from kinocritics.critics.models import Critic
    from kinocritics.films.models import Credit, Film
    from kinocritics.reviews.models import ReviewPage

    reviewed = list(ReviewPage.objects.live().select_related("film").order_by("id"))
    sample = rng.sample(reviewed, min(50, len(reviewed)))
    heavy = Film.objects.filter(credits__person__slug=f"{HEAVY_SLUG_PREFIX}00").get().slug
    most_slug, most = (
        Credit.objects.values("film__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("film__slug", "n")[0]
    )
    months = list(
        ReviewPage.objects.live()
        .annotate(y=ExtractYear("first_published_at"), m=ExtractMonth("first_published_at"))
        .values_list("y", "m")
        .distinct()
    )
    critics = list(Critic.objects.annotate(n=Count("reviews")).order_by("-n"))
    top = critics[0]
    deep_page = max(1, min(50, ReviewPage.objects.live().count() // 20))
    critic_page = max(1, min(5, top.n // 20))
    latest = ReviewPage.objects.live().aggregate(latest=Max("first_published_at"))["latest"]
    print(f"newest review published {latest:%Y-%m-%d}")
    print(f"heavy film: /films/{heavy}/ ({HEAVY_CREDITS} credits, reviewed)")
    print(f"most credits in the catalogue: /films/{most_slug}/ ({most})")
    return [
        Kind("film page (reviewed)", [f"/films/{r.film.slug}/" for r in sample]),
        Kind(f"film page ({HEAVY_CREDITS} credits)", [f"/films/{heavy}/"]),
        Kind(f"film page ({most} credits)", [f"/films/{most_slug}/"]),
        Kind("review page", [r.url_path.removeprefix("/home") for r in sample]),
        Kind("/reviews/", ["/reviews/"]),
        Kind(f"/reviews/?page={deep_page}", [f"/reviews/?page={deep_page}"]),
        Kind(
            "/reviews/<year>/<month>/",
            [f"/reviews/{y}/{m:02d}/" for y, m in rng.sample(months, min(24, len(months)))],
        ),
        Kind("critic page", [f"/critics/{c.slug}/" for c in critics]),
        Kind(f"critic page ?page={critic_page}", [f"/critics/{top.slug}/?page={critic_page}"]),
        Kind("/films/ (A–Z page 1)", ["/films/"]),
        Kind("/films/?letter=M&page=3", ["/films/?letter=M&page=3"]),
        Kind("/films/?order=opening", ["/films/?order=opening"]),
        Kind("home page /", ["/"]),
        Kind("baseline: /about/ (no SQL)", ["/about/"]),
    ]


class SqlTimer:
    """Adds up the time spent in cursor.execute (on SQLite, rows fetched later are not in it)."""

    def __init__(self) -> None:
        self.each: list[float] = []

    @property
    def seconds(self) -> float:
        return sum(self.each)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.each.append(time.perf_counter() - started)


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}; fix the setup before timing.")
    return response


def count_queries(client, kind: Kind, *, show_sql: str | None) -> tuple[str, float]:
    """Queries per request (min–max) and median SQL ms over at least five requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, sql_ms = [], []
    for i in range(max(5, min(20, len(kind.urls)))):
        url = kind.urls[i % len(kind.urls)]
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
            get(client, url)
        counts.append(len(ctx.captured_queries))
        sql_ms.append(timer.seconds * 1000)
        if show_sql and show_sql in kind.name and i == 0:
            print(f"\nSQL for {url}:")
            for q, seconds in zip(ctx.captured_queries, timer.each, strict=False):
                print(f"  {seconds * 1000:7.2f} ms  {q['sql'][:400]}")
    low, high = min(counts), max(counts)
    return (f"{low}" if low == high else f"{low}–{high}"), statistics.median(sql_ms)


def measure(kinds: list[Kind], *, requests: int, profile: str | None, show_sql: str | None):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    for kind in kinds:  # warm up: templates, URL resolvers, site root paths, renditions
        for url in kind.urls:
            get(client, url)
        for _ in range(3):
            get(client, kind.urls[0])
    queries = {kind.name: count_queries(client, kind, show_sql=show_sql) for kind in kinds}

    # Round robin over the page kinds, so that a burst of load elsewhere on the machine is
    # shared among them instead of landing on one.
    times: dict[str, list[float]] = {kind.name: [] for kind in kinds}
    profiler = cProfile.Profile() if profile else None
    for i in range(requests):
        for kind in kinds:
            url = kind.urls[i % len(kind.urls)]
            profiled = profiler is not None and profile in kind.name
            if profiled:
                profiler.enable()
            started = time.perf_counter()
            get(client, url)
            times[kind.name].append((time.perf_counter() - started) * 1000)
            if profiled:
                profiler.disable()
    if profiler:
        print(f"\nprofile of the page kinds matching {profile!r}, top 30 by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)

    return [
        (
            kind.name,
            len(kind.urls),
            statistics.median(times[kind.name]),
            percentile(times[kind.name], 95),
            max(times[kind.name]),
            *queries[kind.name],
        )
        for kind in kinds
    ]


def print_table(rows, *, requests: int) -> None:
    header = (
        f"{'page':<30} {'urls':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>8} {'SQL ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, n_urls, p50, p95, worst, queries, sql in rows:
        print(f"{name:<30} {n_urls:>4} {p50:8.1f} {p95:8.1f} {worst:8.1f} {queries:>8} {sql:7.1f}")
    print(
        f"\n{requests} requests per row (round robin over the rows), cycling over `urls` distinct"
        " URLs. `queries` and `SQL ms`"
        " (median time inside cursor.execute) come from a separate pass of at least 5 requests"
        " under CaptureQueriesContext."
    )


def analyze(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def planner_statistics(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW autovacuum")
            autovacuum = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables "
                "WHERE relname IN ('films_film', 'films_credit', 'films_person', "
                "'wagtailcore_page') AND coalesce(last_analyze, last_autoanalyze) IS NOT NULL"
            )
            analysed = cursor.fetchone()[0]
            return f"{analysed}/4 main tables analysed; autovacuum={autovacuum}"
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            return "sqlite_stat1 present"
        return "none (SQLite: nothing runs ANALYZE, as on a default deployment)"


def bench(args, *, prepared: bool, on_prepared=None) -> None:
    import random

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from kinocritics.critics.models import Critic
    from kinocritics.films.models import Credit, Film, Person
    from kinocritics.reviews.models import ReviewPage

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    if prepared:
        print("setup: reusing the prepared database (--fresh rebuilds it)")
        timed("migrate", lambda: call_command("migrate", verbosity=0))
    else:
        print("setup:")
        prepare(args.reviews)
        if on_prepared:
            on_prepared()
    if connection.vendor == "postgresql" and not args.no_analyze:
        # Autovacuum would do this a minute after the import (it is off on some servers).
        timed("ANALYZE", lambda: analyze(connection))
    print(f"setup took {time.perf_counter() - started:.1f} s\n")
    print(f"planner statistics: {planner_statistics(connection)}")

    print(
        "rows: "
        + ", ".join(
            f"{model.objects.count():,} {label}"
            for model, label in (
                (Film, "films"),
                (Person, "people"),
                (Credit, "credits"),
                (ReviewPage, "reviews"),
                (Critic, "critics"),
            )
        )
    )
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"DEBUG={settings.DEBUG}; cache backend {cache} (the app caches small things such as "
        "renditions in it); no page-cache middleware: these are uncached page renders."
    )
    kinds = url_kinds(random.Random(SEED))
    print()
    load_before = os.getloadavg()[0]
    rows = measure(kinds, requests=args.requests, profile=args.profile, show_sql=args.show_sql)
    print()
    print_table(rows, requests=args.requests)
    print(
        f"1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"({os.cpu_count()} CPUs): other work on the machine shows up in p95 and max."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help=f"Use local PostgreSQL ({PG_URL}).")
    parser.add_argument("--reviews", type=int, default=2000, help="Reviews to create (2000).")
    parser.add_argument("--requests", type=int, default=200, help="Requests per page kind (200).")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the cached SQLite database.")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    parser.add_argument(
        "--no-analyze", action="store_true", help="PostgreSQL: skip ANALYZE after the setup."
    )
    parser.add_argument("--profile", metavar="NAME", help="cProfile the page kinds matching NAME.")
    parser.add_argument("--show-sql", metavar="NAME", help="Print the SQL of one NAME request.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    # Uncached renders are what these figures are about: no page cache in front of the views.
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    # WhiteNoise warns once that collectstatic has not run; irrelevant to page timings.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    if args.postgres:
        media = Path(tempfile.gettempdir()) / "kino_bench_pages_pg_media"
        remove([media])
        os.environ["MEDIA_ROOT"] = str(media)
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
        try:
            bench(args, prepared=False)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                psql(f"DROP DATABASE IF EXISTS {PG_DB}")
                remove([media])
        return

    cached = Path(tempfile.gettempdir()) / f"kino_bench_pages_{args.reviews}.sqlite3"
    media = Path(f"{cached.with_suffix('')}_media")
    complete = Path(f"{cached}.complete")
    if args.fresh or not complete.exists():
        # Also clears what an interrupted build left behind.
        remove([*sqlite_files(cached), media, complete])
    os.environ["DATABASE_URL"] = f"sqlite:///{cached}"
    os.environ["MEDIA_ROOT"] = str(media)
    bench(args, prepared=complete.exists(), on_prepared=complete.touch)
    print(f"\nprepared database kept in {cached} (media in {media}); --fresh rebuilds it")


if __name__ == "__main__":
    main()
