"""schema.org ScreeningEvent and MovieTheater data for showtimes pages."""

from kinocritics.core.jsonld import absolute

MAX_EVENTS = 60


def screening_event(screening) -> dict:
    cinema = screening.cinema
    title = screening.film.title if screening.film else screening.title
    data = {
        "@type": "ScreeningEvent",
        "name": title,
        "startDate": screening.start.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if screening.cancelled
        else "https://schema.org/EventScheduled",
        "location": movie_theater(cinema),
        "workPresented": {"@type": "Movie", "name": title},
    }
    if screening.film:
        data["workPresented"]["url"] = absolute(screening.film.get_absolute_url())
    if screening.audio_language:
        data["inLanguage"] = screening.audio_language
    if screening.subtitle_languages:
        data["subtitleLanguage"] = screening.subtitle_languages
    if screening.formats:
        data["videoFormat"] = screening.formats[0]
    if screening.booking_url:
        data["offers"] = {"@type": "Offer", "url": screening.booking_url}
    return data


def movie_theater(cinema) -> dict:
    data = {
        "@type": "MovieTheater",
        "name": cinema.name,
        "url": absolute(cinema.get_absolute_url()),
    }
    if cinema.address:
        data["address"] = cinema.address
    if cinema.latitude is not None and cinema.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(cinema.latitude),
            "longitude": float(cinema.longitude),
        }
    return data


def screening_events(screenings) -> dict | None:
    """One JSON-LD block holding the first MAX_EVENTS screenings as a graph."""
    events = [screening_event(s) for s in list(screenings)[:MAX_EVENTS]]
    return {"@context": "https://schema.org", "@graph": events} if events else None
