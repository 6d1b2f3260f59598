"""Load test the production stack: gunicorn + PostgreSQL + Redis behind nginx's proxy_cache.

Run from the project root:

    .venv/bin/python bench/load.py                      # build kc_load once, then measure
    .venv/bin/python bench/load.py --duration 10 --connections 16 --workers 4
    .venv/bin/python bench/load.py --fresh              # rebuild the database
    .venv/bin/python bench/load.py --profile-film 200   # cProfile uncached film page renders

Database: PostgreSQL `kc_load` on 127.0.0.1 with the full catalogue (`import_films`), 2,000
live reviews (bench/pages.py's seed_content) and 1,000,000 screenings in 500 cinemas over
the 14 days from today (bench/screenings.py's builder, COPY). It is kept between runs; only
the screenings are rebuilt when the day has changed. Media in /tmp/kc_load_media.

Stack, all on loopback, as the current user, in /tmp/kc_load_run:
- gunicorn (deploy/gunicorn.conf.py, --workers sync workers) with REDIS_URL (db 11, flushed
  at the start) and DEBUG off;
- nginx with deploy/nginx's caching rules (proxy_cache, key "$host$request_uri", session
  cookies bypass it, cache_purge module loaded) on a high port, and a
  static server with the film page saved as a file.
For each page (home, a reviewed film with shows this week, /showtimes/ filtered, /search/ when
that page exists) wrk (`--latency`, plus a Lua hook for p95) measures:
  nginx cached      through nginx (filtered URLs too: the app purges each query variant),
  django cached     straight at gunicorn with the page cache on (Redis),
  uncached          straight at a second gunicorn started with PAGE_CACHE_ENABLED=false (the
                    film page's fragments, kinocritics/films/film_page.py, still serve);
  shows rebuilt     the same, with the film's showtimes fragment made stale every 2 ms (as an
                    import does): facts and reviews reused, showtimes rebuilt;
  built whole       the film page at a third gunicorn with FRAGMENT_CACHE_ENABLED=false too:
                    every request queries and renders the whole page.
Then cached throughput is printed as a share of nginx serving the same film page as a static
file. Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.gettempdir())
DB = "kc_load"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
REDIS_URL = "redis://127.0.0.1:6379/11"
MEDIA = TMP / "kc_load_media"
RUN = TMP / "kc_load_run"
REVIEWS = 2000
SCREENINGS = 1_000_000
CINEMAS = 500
DISTINCT_TITLES = 2000
PORT_APP, PORT_APP_UNCACHED = 18700, 18701
PORT_PROXY, PORT_PURGE, PORT_STATIC = 18710, 18711, 18712
NGINX = "/usr/sbin/nginx"
WRK = "/usr/bin/wrk"
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"

sys.path.insert(0, str(ROOT / "bench"))
import pages as bench_pages  # noqa: E402
import screenings as bench_screenings  # noqa: E402
from common import psql, timed  # noqa: E402

# --- the database -------------------------------------------------------------------------


def marker() -> str:
    return (
        bench_screenings.pg_marker(DB)
        if psql(
            f"SELECT count(*) FROM pg_database WHERE datname = '{DB}'"  # noqa: S608
        )
        == "1"
        else ""
    )


def build(*, fresh: bool) -> None:
    """Create or refresh kc_load: catalogue + reviews once, screenings for today."""
    from django.core.management import call_command
    from django.db import connection, connections

    today = dt.date.today().isoformat()  # noqa: DTZ011 - the screenings are local days
    have = marker()
    if fresh or not have.startswith("catalogue+reviews"):
        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
        shutil.rmtree(MEDIA, ignore_errors=True)
        print(f"building {DB}:")
        bench_pages.prepare(REVIEWS)
        connections.close_all()
        psql(f"COMMENT ON DATABASE {DB} IS 'catalogue+reviews'")
        have = marker()
    else:
        timed("migrate (cached database)", lambda: call_command("migrate", verbosity=0))
    if have != f"catalogue+reviews screenings {today}":
        print(f"screenings for {today}:")
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE cinemas_screening, cinemas_listingtitle, cinemas_source_cinemas, "
                "cinemas_source, cinemas_cinema, cinemas_city CASCADE"
            )
        bench_screenings.build_showtimes(
            types.SimpleNamespace(
                screenings=SCREENINGS,
                cinemas=CINEMAS,
                distinct_titles=DISTINCT_TITLES,
                bulk_create=False,
                sqlite_analyze=False,
            )
        )
        connections.close_all()
        psql(f"COMMENT ON DATABASE {DB} IS 'catalogue+reviews screenings {today}'")
    else:
        print(f"reusing {DB} ({have}); --fresh rebuilds it")


@dataclass
class Target:
    name: str
    path: str


def pick_targets() -> list[Target]:
    """Home, a reviewed film with English-friendly shows this week, showtimes, search."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from kinocritics.films.models import Film

    now = timezone.now()
    film = (
        Film.objects.filter(reviews__live=True)
        .annotate(
            shows=Count(
                "screenings",
                filter=Q(
                    screenings__start__gte=now,
                    screenings__start__lt=now + dt.timedelta(days=7),
                ),
                distinct=True,
            )
        )
        .filter(shows__gt=0)
        .order_by("-shows")
    )
    chosen = list(film)
    # A typical film page: the median of the reviewed films that have shows this week (the
    # fixture is about ten times denser per cinema than real programmes).
    typical = chosen[len(chosen) // 2] if chosen else Film.objects.filter(reviews__live=True)[0]
    print(f"film page: /films/{typical.slug}/ ({getattr(typical, 'shows', 0)} shows this week)")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    targets = [
        Target("home page", "/"),
        Target("film page", f"/films/{typical.slug}/"),
        Target("showtimes filtered", f"/showtimes/?city=hamburg&day={tomorrow}&version=english"),
    ]
    words = typical.title.split()[0]
    targets.append(Target("search", f"/search/?q={urllib.request.quote(words)}"))
    return targets


# --- the stack ----------------------------------------------------------------------------


def wait_for(url: str, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds} s")


def status(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def app_env(*, cached: bool, fragments: bool = True) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(MEDIA),
        "PAGE_CACHE_ENABLED": "true" if cached else "false",
        "FRAGMENT_CACHE_ENABLED": "true" if fragments else "false",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def start_gunicorn(
    *, port: int, workers: int, cached: bool, fragments: bool = True
) -> subprocess.Popen:
    env = app_env(cached=cached, fragments=fragments) | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    log = (RUN / f"gunicorn-{port}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed command
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/about/")
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


NGINX_CONF = """
{load_module}
worker_processes {nginx_workers};
{user}
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy_temp;
    fastcgi_temp_path {run}/fastcgi_temp;
    uwsgi_temp_path {run}/uwsgi_temp;
    scgi_temp_path {run}/scgi_temp;
    types {{ text/html html; }}
    sendfile on;
    # tcp_nopush stalls keep-alive responses from proxy_cache for ~40 ms (delayed ACK).
    tcp_nopush off;
    keepalive_requests 100000;

    # The caching rules of deploy/nginx/kinocritics.conf, on high ports without TLS.
    proxy_cache_path {run}/cache levels=1:2 keys_zone=kinocritics:50m max_size=2g
                     inactive=1h use_temp_path=off;
    upstream kinocritics_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    map $http_cookie $kinocritics_session {{
        default 0;
        "~*(^|;\\s*)(sessionid|messages)=" 1;
    }}
    map $kinocritics_session $kinocritics_skip_cache {{ default 1; 0 0; }}

    server {{
        listen 127.0.0.1:{proxy_port};
        location / {{
            proxy_pass http://kinocritics_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_cache kinocritics;
            proxy_cache_key "$host$request_uri";
            proxy_cache_bypass $kinocritics_skip_cache;
            proxy_no_cache $kinocritics_skip_cache;
            proxy_cache_lock on;
            proxy_cache_revalidate on;
            proxy_cache_background_update on;
            proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
            add_header X-Proxy-Cache $upstream_cache_status always;
        }}
    }}
    server {{
        listen 127.0.0.1:{purge_port};
        allow 127.0.0.1;
        deny all;
        location / {{
            proxy_cache_purge kinocritics "$host$request_uri";
            error_page 404 =200 @not_cached;
        }}
        location @not_cached {{ return 200 "not cached\\n"; }}
    }}
    server {{
        listen 127.0.0.1:{static_port};
        root {run}/static;
    }}
}}
"""


def start_nginx(*, workers: int) -> None:
    for name in ("client_body", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"):
        (RUN / name).mkdir(exist_ok=True)
    (RUN / "static").mkdir(exist_ok=True)
    conf = NGINX_CONF.format(
        load_module=f"load_module {PURGE_MODULE};" if Path(PURGE_MODULE).exists() else "",
        nginx_workers=workers,
        user="user root;" if os.geteuid() == 0 else "",
        run=RUN,
        app_port=PORT_APP,
        proxy_port=PORT_PROXY,
        purge_port=PORT_PURGE,
        static_port=PORT_STATIC,
    )
    (RUN / "nginx.conf").write_text(conf)
    subprocess.run(  # noqa: S603 - fixed command
        [NGINX, "-p", str(RUN), "-c", str(RUN / "nginx.conf"), "-t", "-q"], check=True
    )
    subprocess.run([NGINX, "-p", str(RUN), "-c", str(RUN / "nginx.conf")], check=True)  # noqa: S603


def stop_nginx() -> None:
    pid_file = RUN / "nginx.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGQUIT)
        for _ in range(50):
            if not pid_file.exists():
                break
            time.sleep(0.1)


# --- wrk ----------------------------------------------------------------------------------

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95.0)))
  io.write(string.format("STATUS_ERRORS %d\\n", summary.errors.status))
end
"""


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, *, duration: int, connections: int, threads: int, warmup: int = 2) -> Figures:
    script = RUN / "p95.lua"
    script.write_text(WRK_LUA)
    if warmup:
        _warm_up(url, connections=connections, seconds=warmup)
    out = _run_wrk(url, duration=duration, connections=connections, threads=threads, script=script)
    return _parse(url, out)


def _warm_up(url: str, *, connections: int, seconds: int) -> None:
    # Not counted: every gunicorn worker renders the page a few times first (the first
    # request of a worker loads templates and URL patterns: up to a second).
    subprocess.run(  # noqa: S603 - fixed command
        [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", url], check=True, capture_output=True
    )


def _run_wrk(url: str, *, duration: int, connections: int, threads: int, script: Path) -> str:
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    return subprocess.run(  # noqa: S603 - fixed command
        [*command, "-s", str(script), url], check=True, capture_output=True, text=True
    ).stdout


def _parse(url: str, out: str) -> Figures:
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        # Anchored: "57.50%" in the Req/Sec line must not pass for the 50% percentile.
        p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))
        p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))
    except (AttributeError, KeyError):
        sys.exit(f"could not read wrk's output for {url}:\n{out}")
    p95 = int(re.search(r"P95_US (\d+)", out).group(1)) / 1000
    errors = int(re.search(r"STATUS_ERRORS (\d+)", out).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Figures(rps, p50, p95, p99, errors)


def median(runs: list[Figures]) -> Figures:
    """The run with the median throughput."""
    return sorted(runs, key=lambda figures: figures.rps)[len(runs) // 2]


def sequential(url: str, *, requests: int = 30) -> list[float]:
    """Milliseconds per request, one request at a time (after the wrk warm-up): service time."""
    for _ in range(8):
        status(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status(url)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def print_sequential(label: str, path: str, times: list[float]) -> None:
    p50 = times[len(times) // 2]
    p95 = times[min(len(times) - 1, round(len(times) * 0.95))]
    print(f"  {label:<16} {path[:52]:<52} p50 {p50:7.1f}  p95 {p95:7.1f} ms", flush=True)


def print_row(label: str, path: str, figures: Figures) -> None:
    print(
        f"  {label:<16} {path[:52]:<52} {figures.rps:9,.0f} req/s  p50 {figures.p50_ms:7.1f}"
        f"  p95 {figures.p95_ms:7.1f}  p99 {figures.p99_ms:7.1f} ms"
        + (f"  ({figures.errors} errors)" if figures.errors else ""),
        flush=True,
    )


# --- purge on publish, end to end -----------------------------------------------------------


def purge_check(path: str) -> None:
    """Purge a cached film page as publishing does; the task worker tells nginx."""
    from kinocritics.core import purge

    url = f"http://127.0.0.1:{PORT_PROXY}{path}"
    status(url)
    _, before = status(url)
    started = time.perf_counter()
    # Django's page cache now (every query variant); the frontend purge is a queued task.
    purge.paths_purge({path.split("?")[0]})
    worker = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=app_env(cached=True)
        | {
            "SITE_URL": os.environ["SITE_URL"],
            "FRONTEND_CACHE_PURGE_URL": os.environ["FRONTEND_CACHE_PURGE_URL"],
        },
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    _, after = status(url)
    _, again = status(url)
    print(
        f"\npurge check {path}: nginx {before.get('X-Proxy-Cache')} → purge task run by "
        f"db_worker ({seconds:.1f} s incl. worker start, exit {worker.returncode}) → nginx "
        f"{after.get('X-Proxy-Cache')}, Django page cache {after.get('X-Page-Cache')} → next "
        f"request nginx {again.get('X-Proxy-Cache')}"
    )


@contextlib.contextmanager
def shows_keep_changing(path: str):
    """As if screening imports changed this film's shows all the time: its showtimes fragment
    gets a new token every 2 ms (more often than requests come), so requests rebuild the
    showtimes and reuse the facts and reviews: a film page after an import purged it."""
    from kinocritics.core import fragments
    from kinocritics.films import film_page

    topic = film_page.shows_topic(path.strip("/").split("/")[-1])
    done = threading.Event()

    def bump() -> None:
        while not done.is_set():
            fragments.bump([topic])
            time.sleep(0.002)

    thread = threading.Thread(target=bump, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


# --- profiling ----------------------------------------------------------------------------


def profile_film(path: str, requests: int) -> None:
    """cProfile uncached renders of the film page in this process (page cache off)."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False  # the whole page, built on every request
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        assert client.get(path).status_code == 200, path  # noqa: S101 - a bench precondition
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / requests * 1000
    print(f"\ncProfile of {requests} uncached renders of {path}: {elapsed:.1f} ms each")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run (10).")
    parser.add_argument(
        "--connections", type=int, default=16, help="wrk connections for runs through nginx (16)."
    )
    parser.add_argument(
        "--uncached-connections",
        type=int,
        default=8,
        help="wrk connections straight at gunicorn (8: two per sync worker).",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2).")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating nginx static/cached rounds (3)."
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4).")
    parser.add_argument("--nginx-workers", type=int, default=2, help="nginx workers (2).")
    parser.add_argument("--fresh", action="store_true", help=f"Rebuild the {DB} database.")
    parser.add_argument("--build-only", action="store_true", help="Build the database and stop.")
    parser.add_argument(
        "--profile-film", type=int, metavar="N", help="cProfile N uncached film page renders."
    )
    parser.add_argument("--only", metavar="NAME", help="Only the pages whose name contains NAME.")
    args = parser.parse_args()
    for tool in (NGINX, WRK):
        if not Path(tool).exists():
            sys.exit(f"{tool} is missing: apt-get install nginx wrk")

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        DATABASE_URL=DB_URL,
        MEDIA_ROOT=str(MEDIA),
        PAGE_CACHE_ENABLED="false",
        # For the purge check: the same Redis as the app, and nginx's purge endpoint.
        REDIS_URL=REDIS_URL,
        SITE_URL=f"http://127.0.0.1:{PORT_PROXY}",
        FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{PORT_PURGE}",
    )
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    build(fresh=args.fresh)
    if args.build_only:
        return
    targets = pick_targets()
    if args.only:
        targets = [t for t in targets if args.only in t.name]
    if args.profile_film:
        film = next(t for t in targets if t.name == "film page")
        profile_film(film.path, args.profile_film)
        return
    from django.db import connections

    connections.close_all()

    shutil.rmtree(RUN, ignore_errors=True)
    RUN.mkdir(parents=True)
    subprocess.run(  # noqa: S603 - fixed command
        ["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "FLUSHDB"],  # noqa: S607
        check=False,
        capture_output=True,
    )
    processes: list[subprocess.Popen] = []
    try:
        app = start_gunicorn(port=PORT_APP, workers=args.workers, cached=True)
        processes.append(app)
        start_nginx(workers=args.nginx_workers)
        available = []
        for target in targets:
            code, _ = status(f"http://127.0.0.1:{PORT_APP}{target.path}")
            if code == 200:
                available.append(target)
            else:
                print(f"  skipping {target.name} {target.path}: HTTP {code}")
        targets = available

        film = next((t for t in targets if t.name == "film page"), None)
        print(
            f"\nwrk {args.duration} s per run, {args.threads} threads; through nginx "
            f"{args.connections} connections, at gunicorn {args.uncached_connections}; gunicorn "
            f"{args.workers} sync workers, nginx {args.nginx_workers} workers"
        )
        static_url = None
        if film:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT_APP}{film.path}") as page:  # noqa: S310
                (RUN / "static" / "film.html").write_bytes(page.read())
            static_url = f"http://127.0.0.1:{PORT_STATIC}/film.html"

        # nginx's figures swing by half from one run to the next on two shared cores, so each
        # page runs in rounds alternating with the static file, and medians are compared.
        cached: dict[str, Figures] = {}
        ratios: dict[str, float] = {}
        static_all: list[Figures] = []

        def through_nginx(url: str) -> Figures:
            return wrk(
                url,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                warmup=0,
            )

        for target in targets:
            url = f"http://127.0.0.1:{PORT_PROXY}{target.path}"
            status(url)
            _, headers = status(url)
            state = headers.get("X-Proxy-Cache", "?"), headers.get("X-Page-Cache", "-")
            runs, static_runs = [], []
            for _ in range(args.rounds):
                if static_url:
                    static_runs.append(through_nginx(static_url))
                runs.append(through_nginx(url))
            figures = cached[f"nginx {target.name}"] = median(runs)
            print_row("nginx cached", f"{target.path} [{state[0]}/{state[1]}]", figures)
            if static_runs:
                static = median(static_runs)
                static_all.extend(static_runs)
                print_row("  nginx static", "the film page as a file, same rounds", static)
                ratios[f"nginx {target.name}"] = figures.rps / static.rps
        static_rps = median(static_all).rps if static_all else None
        for target in targets:
            url = f"http://127.0.0.1:{PORT_APP}{target.path}"
            _, headers = status(url)
            # Two connections per sync worker, as for the uncached runs: a sync worker holds
            # one connection at a time, so more only wait in the listen queue (seconds of p95).
            figures = wrk(
                url,
                duration=args.duration,
                connections=args.uncached_connections,
                threads=args.threads,
            )
            cached[f"django {target.name}"] = figures
            print_row("django cached", f"{target.path} [{headers.get('X-Page-Cache')}]", figures)
        if film:
            purge_check(film.path)
        for target in targets:
            if "?" in target.path and "search" not in target.path:
                purge_check(target.path)  # a filtered page: the proxy drops that variant too
        stop_nginx()
        stop(app)
        processes.remove(app)

        uncached_app = start_gunicorn(port=PORT_APP_UNCACHED, workers=args.workers, cached=False)
        processes.append(uncached_app)
        uncached: dict[str, Figures] = {}

        def at_gunicorn(url: str, warmup: int = 5) -> Figures:
            return wrk(
                url,
                duration=args.duration,
                connections=args.uncached_connections,
                threads=args.threads,
                warmup=warmup,
            )

        for target in targets:
            url = f"http://127.0.0.1:{PORT_APP_UNCACHED}{target.path}"
            print_sequential("uncached, 1 at a time", target.path, sequential(url))
        for target in targets:
            figures = at_gunicorn(f"http://127.0.0.1:{PORT_APP_UNCACHED}{target.path}")
            uncached[target.name] = figures
            print_row("uncached", target.path, figures)
        half = None
        if film:
            url = f"http://127.0.0.1:{PORT_APP_UNCACHED}{film.path}"
            with shows_keep_changing(film.path):
                half = at_gunicorn(url, warmup=2)
            print_row("shows rebuilt", film.path, half)
        stop(uncached_app)
        processes.remove(uncached_app)

        # The film page built whole on every request: no page cache, no fragments (the worst
        # case: a film nobody opened in the last five minutes).
        cold = None
        if film:
            cold_app = start_gunicorn(
                port=PORT_APP_UNCACHED, workers=args.workers, cached=False, fragments=False
            )
            processes.append(cold_app)
            url = f"http://127.0.0.1:{PORT_APP_UNCACHED}{film.path}"
            print_sequential("built, 1 at a time", film.path, sequential(url))
            cold = at_gunicorn(url)
            print_row("built whole", film.path, cold)

        if static_rps:
            print(
                f"\ncached throughput as a share of nginx serving the film page as a file: "
                f"against the median of all {len(static_all)} static runs "
                f"({static_rps:,.0f} req/s), and against the {args.rounds} static runs that "
                f"alternated with the page's own:"
            )
            print(f"  {'':<32} {'all static':>10} {'same rounds':>12}")
            for name, figures in cached.items():
                paired = f"{ratios[name]:12.1%}" if name in ratios else ""
                print(f"  {name:<32} {figures.rps / static_rps:10.1%} {paired}")
        if "film page" in uncached:
            figures = uncached["film page"]
            print(
                f"\nuncached film page (page cache off, fragments good): {figures.rps:,.0f} "
                f"req/s (target ≥ 300), p95 {figures.p95_ms:.1f} ms (target < 50)"
            )
        if half:
            print(
                f"film page, showtimes rebuilt on every request (after an import): "
                f"{half.rps:,.0f} req/s, p95 {half.p95_ms:.1f} ms"
            )
        if cold:
            print(
                f"film page built whole (page cache and fragments off): {cold.rps:,.0f} req/s, "
                f"p95 {cold.p95_ms:.1f} ms"
            )
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    finally:
        stop_nginx()
        for process in processes:
            stop(process)


if __name__ == "__main__":
    main()
