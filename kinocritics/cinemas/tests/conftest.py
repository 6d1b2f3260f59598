import datetime as dt

import pytest
from django.utils import timezone

from kinocritics.cinemas.models import Cinema, City, Source

BERLIN = timezone.get_default_timezone()


def local(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=BERLIN)


@pytest.fixture
def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def hamburg(db):
    city = City.objects.create(name="Hamburg", slug="hamburg")
    abaton = Cinema.objects.create(
        name="Abaton",
        slug="abaton",
        city=city,
        address="Allendeplatz 3, 20146 Hamburg",
        programme_url="https://abaton.example.org/programm",
    )
    savoy = Cinema.objects.create(name="Savoy", slug="savoy", city=city)
    return city, abaton, savoy


@pytest.fixture
def csv_source(hamburg, tmp_path):
    """A CSV source for both demo cinemas, reading a file the test writes."""
    _, abaton, savoy = hamburg
    path = tmp_path / "programme.csv"
    source = Source.objects.create(
        name="Hamburg CSV", slug="hamburg-csv", kind=Source.Kind.CSV, location=str(path)
    )
    source.cinemas.set([abaton, savoy])
    return source, path


CSV_HEADER = "cinema,title,date,time,version,auditorium,ticket_url\n"


def csv_text(*rows: str) -> str:
    return CSV_HEADER + "".join(f"{row}\n" for row in rows)
