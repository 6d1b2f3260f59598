"""Time the listing label parser on 100,000 generated listing lines, in process and end to end.

Run from the project root:

    .venv/bin/python bench/classify_labels.py             # 100,000 lines
    .venv/bin/python bench/classify_labels.py --lines 20000 --seed 7

The lines mix film titles (original and German release titles) with the label spellings German
cinemas use, format tags and event words, in the shapes listings take: "Title (OmU)",
"Title – OmeU", "OV: Title", "[OmU] Title", "Title - 70mm - OV", "Premiere: Title (OmU)" …
Prints figures only; it never asserts on timing.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TITLES = [
    "Dune: Part Two", "Past Lives", "Anatomie d'une chute", "Anatomy of a Fall", "Oppenheimer",
    "Perfect Days", "The Zone of Interest", "Poor Things", "Barbie", "Paddington in Peru",
    "Der Himmel über Berlin", "Spider-Man: Across the Spider-Verse", "Tokyo Story", "La Haine",
    "Of Mice and Men", "Johnny English", "Marathon Man", "Das Lehrerzimmer", "Die Unschuld",
    "Killers of the Flower Moon", "Asteroid City", "The Holdovers", "Aftersun",
    "Triangle of Sadness",
    "Cléo de 5 à 7", "À bout de souffle", "Angst essen Seele auf", "Gegen die Wand", "Phoenix",
    "Red Rocket", "Sunset Boulevard", "The Third Man", "Vertigo", "Chinatown", "Withnail and I",
    "Do the Right Thing", "Seppuku", "Cure", "Drive My Car", "Shoplifters", "Parasite",
    "Decision to Leave", "Mission: Impossible – Dead Reckoning Teil Eins", "2:22", "Tár",
    "Everything Everywhere All at Once", "Die Mittagsfrau", "Sterben", "Io capitano",
    "Fallende Blätter", "Kuolleet lehdet", "All of Us Strangers", "The Boy and the Heron",
    "Der Junge und der Reiher", "Godzilla Minus One", "Wonka", "Napoleon", "Maestro",
    "May December", "Saltburn", "Priscilla", "Monster", "Evil Does Not Exist", "Green Border",
    "Il sol dell'avvenire", "Falling Leaves", "The Taste of Things", "La passion de Dodin Bouffant",
    "AC/DC: Let There Be Rock", "Love Lies Bleeding", "Civil War", "Challengers", "Furiosa",
    "Inside Out 2", "Alles steht Kopf 2", "Kinds of Kindness", "Longlegs", "Deadpool & Wolverine",
    "Emilia Pérez", "Anora", "The Substance", "Konklave", "Conclave", "Der Brutalist",
]  # fmt: skip

LABELS = [
    "OV", "(OV)", "OF", "O.V.", "Originalversion", "Originalfassung", "Original Version",
    "OV (englisch)", "engl. OV", "englische OV", "OV/Engl.", "Orig.", "OmU", "O.m.U.", "OmdU",
    "OmUd", "OmU (dt.)", "Original mit deutschen Untertiteln", "mit dt. UT",
    "OV mit deutschen Untertiteln", "OmeU", "OmEU", "OmengU", "OmenglU", "OmU engl. UT",
    "OmU (englisch)", "mit englischen Untertiteln", "OV with English subtitles",
    "English subtitles", "engl. UT", "OmU/engl", "OmU dt./engl.",
    "mit deutschen und englischen Untertiteln", "German & English subtitles", "DFmenglU", "DFmeU",
    "Deutsche Fassung mit englischen Untertiteln", "German with English subtitles", "D", "DF",
    "Deutsch", "dt. Fassung", "deutsche Fassung", "German version", "englisch", "English",
    "engl. Fassung", "in English", "English version", "Sprache: Englisch, Untertitel: Deutsch",
    "Sprache: Französisch", "Untertitel: Englisch", "japanisch mit englischen Untertiteln",
    "OmU (japanisch)", "OmeU (französisch)", "omu", "OMU", "ov", "omeu",
]  # fmt: skip
FORMATS = ["2D", "3D", "IMAX", "IMAX 3D", "70mm", "35mm", "Dolby Atmos", "4DX", "HFR 3D", "D-BOX"]
EVENTS = ["Premiere", "Preview", "Sneak Preview", "Kinderkino", "Double Feature", "Marathon"]
TALKS = [
    "Filmgespräch mit der Regisseurin", "Q&A mit dem Team", "Einführung", "Gespräch mit Gästen",
    "im Anschluss Filmgespräch", "Q & A with the director",
]  # fmt: skip


def listing_lines(count: int, *, seed: int, programme: int = 5000) -> list[str]:
    """Count listing lines, the same for the same seed.

    Like a real import, most lines repeat: a cinema prints the same listing line for every show
    of a film. ``programme`` distinct listings are drawn first; shows pick from them, popular
    ones more often, and one line in twenty is a one-off (a special event, a typo).
    """
    rng = random.Random(seed)
    shapes = [
        (30, lambda t, lab, f, e, k: f"{t} ({lab})"),
        (15, lambda t, lab, f, e, k: f"{t} {lab}"),
        (8, lambda t, lab, f, e, k: f"{t} – {lab}"),
        (4, lambda t, lab, f, e, k: f"{lab}: {t}"),
        (4, lambda t, lab, f, e, k: f"[{lab}] {t}"),
        (6, lambda t, lab, f, e, k: f"{t} - {f} - {lab}"),
        (6, lambda t, lab, f, e, k: f"{t} ({f}, {lab})"),
        (4, lambda t, lab, f, e, k: f"{t} {f} {lab}"),
        (5, lambda t, lab, f, e, k: f"{e}: {t} ({lab})"),
        (5, lambda t, lab, f, e, k: f"{t} ({lab}) + {k}"),
        (10, lambda t, lab, f, e, k: t),
        (3, lambda t, lab, f, e, k: f"{t.upper()} {lab.upper()}"),
    ]
    weights = [weight for weight, _ in shapes]

    def one_listing() -> str:
        shape = rng.choices(shapes, weights)[0][1]
        line = shape(
            rng.choice(TITLES),
            rng.choice(LABELS),
            rng.choice(FORMATS),
            rng.choice(EVENTS),
            rng.choice(TALKS),
        )
        if rng.random() < 0.02:
            line = line.replace("&", "&amp;")  # feeds that escape HTML
        return line

    listings = [one_listing() for _ in range(programme)]
    popularity = [1 / (rank + 10) for rank in range(programme)]
    shows = rng.choices(listings, popularity, k=count)
    return [one_listing() if rng.random() < 0.05 else show for show in shows]


def timed(label: str, count: int, func) -> float:
    """Run func once, print wall and CPU seconds and lines a second (wall)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    func()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"{label:<46} {seconds:7.2f} s  {count / seconds:>10,.0f} lines/s  (CPU {cpu:.2f} s)")
    return seconds


def bench(*, count: int, seed: int) -> None:
    """Parse the lines in process (cold, warm, uncached) and through manage.py."""
    sys.path.insert(0, str(ROOT))
    from kinocritics.cinemas import labels

    lines = listing_lines(count, seed=seed)
    print(f"{count:,} lines, {len(set(lines)):,} distinct (seed {seed})\n")

    def parse_all() -> None:
        for line in lines:
            labels.listing_parse(line)

    def parse_uncached() -> None:
        # The line cache's undecorated function: every line read from scratch.
        for line in lines:
            labels._parse.__wrapped__(line, "", None, ())

    labels._parse.cache_clear()
    labels._WORD_CACHE.clear()
    timed("listing_parse, caches empty", count, parse_all)
    timed("listing_parse, caches warm", count, parse_all)
    timed("listing_parse, no line cache (every line new)", count, parse_uncached)

    stdin = "\n".join(lines) + "\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    result: list[subprocess.CompletedProcess] = []

    def command() -> None:
        # Fixed arguments: this interpreter and the project's own manage.py.
        result.append(
            subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "classify_labels"],
                input=stdin,
                capture_output=True,
                text=True,
                encoding="utf-8",
                cwd=ROOT,
                env=env,
                check=True,
            )
        )

    # CPU here is this process only; the command's own time is the wall-clock figure.
    timed("manage.py classify_labels, end to end", count, command)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "classify_labels"],
        input="",
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    startup = time.perf_counter() - started
    print(f"{'  of which Django start-up (empty stdin)':<46} {startup:7.2f} s")
    printed = result[0].stdout.count("\n")
    print(f"\nThe command printed {printed:,} JSON lines.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="how many lines (100,000)")
    parser.add_argument("--seed", type=int, default=20261125, help="random seed for the lines")
    options = parser.parse_args()
    bench(count=options.lines, seed=options.seed)


if __name__ == "__main__":
    main()
