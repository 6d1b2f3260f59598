"""iCalendar feeds of screenings, for readers' calendar apps."""

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event

PRODID = "-//KinoCritics//Original-language showtimes//EN"


def screenings_calendar(screenings, *, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per screening (UTC times, stable UIDs)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for screening in screenings:
        title = screening.film.title if screening.film else screening.title
        event = Event()
        event.add("uid", f"screening-{screening.pk}@kinocritics")
        event.add("summary", f"{title} ({screening.version_words})")
        event.add("dtstart", screening.start.astimezone(dt.UTC))
        runtime = getattr(screening.film, "runtime_minutes", None) or 120
        event.add("dtend", screening.start.astimezone(dt.UTC) + dt.timedelta(minutes=runtime))
        event.add("dtstamp", screening.last_seen.astimezone(dt.UTC))
        place = screening.cinema.name
        if screening.auditorium:
            place = f"{place}, {screening.auditorium}"
        if screening.cinema.address:
            place = f"{place}, {screening.cinema.address}"
        event.add("location", place)
        if screening.booking_url:
            event.add("url", screening.booking_url)
        lines = [screening.version_words]
        if screening.is_ticket_link:
            lines.append(f"Tickets: {screening.ticket_url}")
        elif screening.booking_url:
            lines.append(f"Programme: {screening.booking_url}")
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
