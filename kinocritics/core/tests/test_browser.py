"""A reader's walk through the site in a real Chromium: links, keyboard, axe-core, phone layout.

Runs against pytest-django's ``live_server`` with Debian's Chromium (``CHROMIUM`` overrides
the path). Without Chromium the tests are skipped, unless ``REQUIRE_BROWSER=1`` (set in CI),
which turns the missing browser into a failure.
"""

import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from kinocritics.core.tests.factories import CriticFactory, FilmFactory, aware, review_publish

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for humans, not asserted

pytestmark = [
    pytest.mark.browser,
    # The live server answers from another thread, so the data must be committed: a
    # transactional test. Its teardown flushes every table, which would also delete the
    # Wagtail root, home page, /reviews/ index and default Site made by the data migration
    # reviews/0002; serialized_rollback restores them before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def browser():
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = f"Chromium not found at {executable} (install it or set CHROMIUM=/path)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; REQUIRE_BROWSER=1 forbids skipping the browser tests")
        pytest.skip(reason)
    # Contents saved by the test database setup for serialized_rollback; see below.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API drives an asyncio event loop from the main thread, so Django
        # sees a running loop and raises SynchronousOnlyOperation for the ORM calls made by the
        # tests and fixtures (factories, flush, serialized rollback). Nothing here is actually
        # concurrent: the test code waits on the browser, and the live server answers from its
        # own thread without a loop. Restored when the module's tests are done.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # The running loop also makes Django's thread-critical connection handler hand out
            # new connection objects (same test database) that lack the serialized contents, so
            # serialized_rollback would silently restore nothing after the first test's flush.
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            connections.close_all()  # the loop-side connections; the originals stay open


@pytest.fixture
def migration_data(db):
    """Guard: the data migration's root collection, home page and default Site are present."""
    from wagtail.models import Collection, Site

    lost = "migration data lost after a flush: serialized_rollback restored nothing"
    assert Collection.get_first_root_node() is not None, lost
    assert Site.objects.get(is_default_site=True).root_page.slug == "home", lost


@pytest.fixture
def site(live_server, migration_data, red_rocket):
    """The reference film and review, plus an older review so the lists hold review cards.

    Wagtail's default Site is localhost:80; the live server runs on another port, so Wagtail
    falls back to it (is_default_site), and page URLs such as review.url are relative.
    """
    film, review, critic = red_rocket
    review_publish(
        film=FilmFactory(
            title="Aftersun", slug="aftersun-2022", year=2022, countries=["United Kingdom"]
        ),
        critic=CriticFactory(name="Jo Secondcritic", slug="jo-secondcritic", initials="JS"),
        rating=8,
        summary="A holiday remembered.",
        published=aware(2023, 1, 5),
    )
    _programme(film)
    _festival(film, critic)
    from kinocritics.films.models import Person

    return SimpleNamespace(
        url=live_server.url,
        film=film,
        review=review,
        critic=critic,
        person=Person.objects.get(slug="sean-baker"),
    )


def _festival(film, critic):
    """A festival edition with one review entry, so the grid and article pages have content."""
    import datetime as dt

    from kinocritics.festivals.models import (
        ArticleIndexPage,
        ArticlePage,
        Festival,
        FestivalEdition,
    )

    festival = Festival.objects.create(name="Berlinale", slug="berlinale", city="Berlin")
    edition = FestivalEdition.objects.create(
        festival=festival, year=2022, start_date=dt.date(2022, 2, 10), city="Berlin"
    )
    entry = {"film": film.pk, "title": "", "stars": "7", "directors": "Sean Baker",
             "countries": "U.S.A.", "german_start": "", "text": "Funny and sharp.",
             "cross_reference": "", "author": critic.pk, "co_ratings": []}  # fmt: skip
    article = ArticlePage(
        title="Berlinale 2022 reviews", slug="berlinale-2022", kind="festival_report",
        edition=edition, body=[{"type": "festival_review", "value": entry}],
    )  # fmt: skip
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision().publish()


def _programme(film):
    """One cinema showing the film tomorrow in English, with a ticket link."""
    import datetime as dt

    from django.utils import timezone

    from kinocritics.cinemas.models import Cinema, City, Screening, Source

    city = City.objects.create(name="Hamburg", slug="hamburg")
    cinema = Cinema.objects.create(
        name="Abaton", slug="abaton", city=city, address="Allendeplatz 3, 20146 Hamburg"
    )
    source = Source.objects.create(name="Abaton feed", slug="abaton", kind="csv", location="-")
    source.cinemas.add(cinema)
    start = timezone.localtime() + dt.timedelta(days=1)
    Screening.objects.create(
        cinema=cinema,
        source=source,
        film=film,
        start=start.replace(hour=20, minute=15, second=0, microsecond=0),
        title=film.title,
        raw_title=f"{film.title} (OV)",
        version="OV",
        audio_language="en",
        english_friendly=True,
        ticket_url="https://tickets.example.org/abaton/1",
        last_seen=start,
    )


def _serve_media(route):
    """Serve uploaded stills and renditions (MEDIA_ROOT is per test; DEBUG off serves none)."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    relative = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
    file = (media_root / relative).resolve()
    if file.is_relative_to(media_root) and file.is_file():
        route.fulfill(path=file)
    else:
        route.fulfill(status=404)


@pytest.fixture
def open_page(browser, site):
    """open_page(viewport) → a fresh Playwright page in its own context, based at the server."""
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(base_url=site.url, viewport=viewport, **options)
        context.set_default_timeout(5_000)
        context.route("**/media/**", _serve_media)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _goto(page, path):
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path}: HTTP {response.status}"
    return response


def test_walk_from_home_to_the_film_and_its_critic(site, open_page):
    page = open_page()
    _goto(page, "/")

    lead = page.locator("section.lead")
    expect(lead.locator("h1.film-title")).to_have_text("Red Rocket")
    expect(lead.get_by_text("Mikey comes home to Texas City")).to_be_visible()

    lead.get_by_role("link", name="Film page: Red Rocket").click()
    expect(page).to_have_url(f"{site.url}/films/red-rocket-2021/")

    main = page.locator("main")
    expect(main.locator(".still__credit")).to_have_text("© Test Distributor GmbH")
    expect(main.get_by_role("heading", level=1)).to_have_text("Red Rocket")
    expect(main.locator(".film-origin")).to_have_text("U.S.A. 2021")
    expect(main.locator(".film-opening")).to_have_text("Opening 14 Apr 2022")
    for label in ("Directed by:", "Writing credits:", "Principal actors:", "Length:"):
        expect(main.locator(".credits dt", has_text=label)).to_be_visible()
    actors = main.locator(".credits__row", has_text="Principal actors")
    expect(actors.get_by_role("link", name="Simon Rex")).to_be_visible()
    expect(main.locator(".credits__row", has_text="Length:").locator("dd")).to_have_text(
        "130 minutes"
    )
    expect(main.locator(".review__byline")).to_have_text("(Erin Testwriter)")
    where = main.locator("section.where")
    expect(where.get_by_text("English · no subtitles")).to_be_visible()
    ticket = where.get_by_role("link", name="20:15")
    expect(ticket).to_have_attribute("href", "https://tickets.example.org/abaton/1")
    for element in (".still__credit", ".film-origin", ".film-opening", ".review__byline"):
        expect(main.locator(element)).to_be_visible()

    # What a reader sees, in the reference page's order (dt and dd are separate grid cells).
    text = " ".join(main.inner_text().split())
    expected_in_order = [
        "© Test Distributor GmbH",
        "Red Rocket",
        "U.S.A. 2021",
        "Opening 14 Apr 2022",
        "Directed by: Sean Baker",
        "Writing credits: Sean Baker, Chris Bergoch",
        "Principal actors: Simon Rex, Bree Elrod",
        "Length: 130 minutes",
        "(Erin Testwriter)",
    ]
    position = text.index("›")  # after the breadcrumbs
    for fragment in expected_in_order:
        position = text.find(fragment, position + 1)
        assert position != -1, f"{fragment!r} missing or out of order in: {text}"

    main.locator(".review__byline").get_by_role("link", name="Erin Testwriter").click()
    expect(page).to_have_url(f"{site.url}/critics/erin-testwriter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erin Testwriter")
    expect(page.locator(".initials")).to_have_text("ET")
    reviews = page.locator("section[aria-labelledby='critic-reviews']")
    expect(reviews.get_by_role("link", name="Red Rocket")).to_have_attribute(
        "href", site.review.url
    )
    expect(reviews.get_by_role("link", name="Aftersun")).to_have_count(0)


def test_reader_finds_english_friendly_shows_and_the_cinema(site, open_page):
    page = open_page()
    _goto(page, "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Showtimes").click()
    page.get_by_role("link", name="English-friendly only").click()
    expect(page).to_have_url(re.compile(r"version=english"))
    main = page.locator("main")
    expect(main.get_by_role("link", name="Red Rocket")).to_be_visible()
    expect(main.get_by_text("English · no subtitles")).to_be_visible()
    main.get_by_role("link", name="Abaton").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abaton")
    expect(page.get_by_role("link", name="Map", exact=True)).to_be_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(site, open_page):
    page = open_page()
    _goto(page, "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # off-screen until focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_pages_have_no_serious_accessibility_violations(site, open_page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = open_page()
    paths = [
        "/",
        site.film.get_absolute_url(),
        site.critic.get_absolute_url(),
        "/films/",
        "/reviews/",
        site.review.url,
        "/showtimes/",
        "/showtimes/?view=cinema&version=english",
        "/cinemas/",
        "/cinemas/abaton/",
        "/articles/",
        "/articles/berlinale-2022/",
        "/festivals/",
        "/festivals/berlinale/2022/",
        "/search/?q=red+rocket",
        "/openings/",
        "/newsletter/",
        "/newsletter/archive/",
        site.person.get_absolute_url(),
    ]
    reports = []
    for path in paths:
        _goto(page, path)
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            results.response["violations"] = serious
            reports.append(f"--- {path}\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)


def test_reader_subscribes_from_the_sidebar_and_confirms_from_the_mail(site, open_page):
    from django.core import mail

    from kinocritics.newsletter.models import Subscriber

    page = open_page()
    _goto(page, site.film.get_absolute_url())
    sidebar = page.get_by_role("complementary", name="More from KinoCritics")
    sidebar.get_by_label("Your email address").fill("reader@example.org")
    sidebar.get_by_role("checkbox").check()
    sidebar.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1, name="Check your inbox")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/newsletter/\S+", mail.outbox[0].body).group(0)
    _goto(page, urlsplit(link).path)
    assert Subscriber.objects.get(email="reader@example.org").status == "pending"
    page.get_by_role("button", name="Yes, send me the newsletter").click()
    expect(page.get_by_role("heading", level=1, name="You are subscribed")).to_be_visible()
    assert Subscriber.objects.get(email="reader@example.org").status == "confirmed"


def test_film_page_fits_a_phone_screen(site, open_page):
    page = open_page(PHONE, is_mobile=True, has_touch=True)
    _goto(page, site.film.get_absolute_url())
    title = page.get_by_role("heading", level=1, name="Red Rocket")
    expect(title).to_be_visible()
    expect(title).to_be_in_viewport()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"


def test_save_screenshots_for_humans(site, open_page):
    """Not asserted: desktop and phone views of home and the film page in /tmp/shots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport, options in (
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"is_mobile": True, "has_touch": True}),
    ):
        page = open_page(viewport, **options)
        for slug, path in (("home", "/"), ("film", site.film.get_absolute_url())):
            _goto(page, path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SHOTS / f"{slug}-{name}.png", full_page=True)


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _csp_watched(page):
    """Collect CSP violations two ways: the DOM event and Chromium's console report."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(CSP_WATCH)
    return console


def test_public_pages_run_under_the_strict_csp_without_violations(site, open_page):
    page = open_page()
    console = _csp_watched(page)
    paths = [
        "/",
        site.film.get_absolute_url(),
        site.critic.get_absolute_url(),
        "/films/",
        "/reviews/",
        site.review.url,
        "/showtimes/",
        "/cinemas/abaton/",
        "/articles/berlinale-2022/",
        "/festivals/berlinale/2022/",
        "/search/?q=red+rocket",
        "/openings/",
        "/newsletter/",
        "/api/v1/docs",
    ]
    for path in paths:
        response = _goto(page, path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        assert not violations, f"{path}: {violations}"
    assert not console, console


def test_admin_editor_works_under_its_own_csp(site, open_page, django_user_model):
    from kinocritics.ops.services import user_role_grant

    editor = django_user_model.objects.create_user("edda", "edda@example.org", "pw-edda-1")
    user_role_grant(user=editor, role="editor")
    page = open_page()
    console = _csp_watched(page)
    _goto(page, "/admin/login/")
    page.get_by_label("Username").fill("edda")
    page.get_by_label("Password").fill("pw-edda-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KinoCritics")
    _goto(page, f"/admin/pages/{site.review.pk}/edit/")
    # Draftail (React) rendered the review body: the admin's scripts ran.
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    expect(page.locator("button[name='action-publish']")).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert not page.evaluate("window.__cspViolations")
    assert not console, console
