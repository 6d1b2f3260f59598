"""The header search box in a real Chromium: suggestions as you type, keyboard, no-JS fallback."""

import re

import pytest
from playwright.sync_api import expect

from kinocritics.core.tests.factories import FilmFactory, PersonFactory
from kinocritics.core.tests.test_browser import browser  # noqa: F401 (the Chromium fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def films(live_server):
    # Saved outside a test transaction: the on-commit signals index them as editors' saves would.
    FilmFactory(title="Casablanca", slug="casablanca-1942", year=1942)
    FilmFactory(title="Casablanca Express", slug="casablanca-express-1989", year=1989)
    PersonFactory(name="Fatih Akın", slug="fatih-akin")
    return live_server.url


@pytest.fixture
def page(browser, films):  # noqa: F811
    context = browser.new_context(base_url=films, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def test_suggestions_with_the_keyboard(page):
    page.goto("/films/")
    box = page.get_by_role("combobox", name="Search films, people and reviews")
    box.fill("casablanka")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Casablanca")
    expect(options.first).to_contain_text("Film · 1942")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-option-0")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/films/casablanca-1942/$"))


def test_escape_closes_and_enter_searches(page):
    page.goto("/films/")
    box = page.get_by_role("combobox", name="Search films, people and reviews")
    box.fill("fatih akin")
    expect(page.get_by_role("option").first).to_contain_text("Fatih Akın")
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “fatih akin”")
    expect(page.get_by_role("link", name="Fatih Akın")).to_be_visible()


def test_without_javascript_the_form_still_searches(browser, films):  # noqa: F811
    context = browser.new_context(base_url=films, java_script_enabled=False)
    page = context.new_page()
    page.goto("/films/")
    page.get_by_label("Search films, people and reviews").fill("casablanka")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name="Films")).to_be_visible()
    expect(page.locator("li.search-best")).to_contain_text("Casablanca")
    context.close()
