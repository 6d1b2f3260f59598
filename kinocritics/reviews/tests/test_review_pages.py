import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import (
    CreditedImageFactory,
    CriticFactory,
    FilmFactory,
    aware,
    review_publish,
)
from kinocritics.reviews.models import ReviewPage
from kinocritics.reviews.ratings import RATING_CHOICES, parse_stars, stars_display


@pytest.fixture
def archive(db):
    critic = CriticFactory(name="Ann Reviewer", slug="ann-reviewer")
    dates = [aware(2022, 4, 14), aware(2022, 4, 20), aware(2022, 5, 2), aware(2023, 1, 5)]
    return [
        review_publish(film=FilmFactory(title=f"Film {d:%Y-%m-%d}"), critic=critic, published=d)
        for d in dates
    ]


@pytest.mark.django_db
def test_review_list_is_newest_first(client, archive):
    html = client.get("/reviews/").content.decode()
    positions = [html.index(f"Film {d}") for d in ("2023-01-05", "2022-05-02", "2022-04-20")]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_month_archive_lists_only_that_month(client, archive):
    response = client.get("/reviews/2022/04/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reviews: April 2022" in html
    assert "Film 2022-04-14" in html and "Film 2022-04-20" in html
    assert "Film 2022-05-02" not in html
    year = client.get("/reviews/2022/").content.decode()
    assert "Film 2022-05-02" in year and "Film 2023-01-05" not in year
    assert 'href="/reviews/2022/04/"' in html  # archive navigation


@pytest.mark.django_db
def test_empty_or_impossible_archives_are_404(client, archive):
    assert client.get("/reviews/1999/").status_code == 404
    assert client.get("/reviews/2022/13/").status_code == 404
    assert client.get("/reviews/2022/07/").status_code == 404


@pytest.mark.django_db
def test_review_list_query_count_is_constant(client, archive, django_assert_max_num_queries):
    client.get("/reviews/")
    with django_assert_max_num_queries(12):
        client.get("/reviews/")
    for _ in range(15):
        review_publish(film=FilmFactory(countries=["France"]), critic=archive[0].critic)
    client.get("/reviews/")  # the first view renders the new thumbnails once
    with django_assert_max_num_queries(12):
        client.get("/reviews/")


@pytest.mark.django_db
def test_review_page_carries_the_reference_fields_and_review_json_ld(client, red_rocket):
    film, review, critic = red_rocket
    html = client.get(review.url).content.decode()
    for fragment in ("© Test Distributor GmbH", "U.S.A. 2021", "14 Apr 2022</time>", "(<a"):
        assert fragment in html
    jsonld.validate_page(html)
    data = jsonld.by_type(html, "Review")
    assert data["itemReviewed"]["name"] == "Red Rocket"
    assert data["reviewRating"]["ratingValue"] == 3.5


@pytest.mark.django_db
def test_review_feed_lists_reviews(client, red_rocket):
    response = client.get("/feeds/reviews/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Red Rocket ★★★½</title>" in body
    assert "Erin Testwriter" in body


@pytest.mark.parametrize(
    ("text", "half_stars"),
    [("*", 2), ("*1/2", 3), ("**1/2", 5), ("**½", 5), ("***1/2", 7), ("****", 8)],
)
def test_star_strings_from_the_old_site_parse(text, half_stars):
    assert parse_stars(text) == half_stars


@pytest.mark.parametrize("text", ["*****", "**3/4", "", "three", "****1/2"])
def test_bad_star_strings_are_refused_with_a_message(text):
    with pytest.raises(ValidationError, match="rating|four stars"):
        parse_stars(text)


def test_rating_choices_run_from_one_to_four_stars_in_halves():
    assert [label for _, label in RATING_CHOICES] == [
        "*",
        "*1/2",
        "**",
        "**1/2",
        "***",
        "***1/2",
        "****",
    ]
    assert stars_display(5) == "★★½"


@pytest.mark.django_db
def test_a_review_cannot_go_live_without_film_critic_and_credited_still(review_index):
    page = ReviewPage(
        title="Unfinished",
        slug="unfinished",
        body="<p>Draft</p>",
        still=CreditedImageFactory(credit=""),
        live=False,
    )
    review_index.add_child(instance=page)  # a draft may lack them
    page.live = True
    with pytest.raises(ValidationError) as error:
        page.save()
    messages = error.value.message_dict
    assert set(messages) == {"film", "critic", "still"}
    assert "no credit line" in messages["still"][0]


@pytest.mark.django_db
def test_home_shows_the_newest_review_in_full_and_the_openings(client, red_rocket):
    from django.utils import timezone

    from kinocritics.core.models import this_thursday

    film, review, critic = red_rocket
    week = this_thursday(timezone.localdate())
    FilmFactory(title="Opens This Week", german_opening=week + dt.timedelta(days=1))
    FilmFactory(title="Opens Next Week", german_opening=week + dt.timedelta(days=7))
    FilmFactory(title="Opens Much Later", german_opening=week + dt.timedelta(days=30))
    html = client.get("/").content.decode()
    assert "Mikey comes home to Texas City" in html  # the body in full
    assert "Principal actors" in html
    this_week = html[html.index("This week") : html.index("Next week")]
    assert "Opens This Week" in this_week
    assert "Opens Next Week" in html[html.index("Next week") :]
    assert "Opens Much Later" not in html
    for href in ("/cinemas/", "/articles/", "/newsletter/"):
        assert f'href="{href}"' in html
        assert client.get(href).status_code == 200
    assert re.search(r"<h2 id=\"side-cinemas\">Original-language cinemas</h2>", html)


@pytest.mark.django_db
def test_review_cards_keep_the_order_links_and_thumbnails_page_by_page(client, archive):
    for day in range(1, 22):
        review_publish(
            film=FilmFactory(title=f"Extra {day:02d}"),
            critic=archive[0].critic,
            published=aware(2021, 3, day),
        )
    first = client.get("/reviews/").content.decode()
    second = client.get("/reviews/?page=2").content.decode()
    # 25 reviews, 20 a page, newest first: the oldest five are on page 2.
    assert first.index("Film 2023-01-05") < first.index("Film 2022-04-14")
    assert "Extra 06" in first and "Extra 05" not in first
    assert re.findall(r"Extra \d\d", second) == [f"Extra {day:02d}" for day in (5, 4, 3, 2, 1)]
    review = ReviewPage.objects.get(title__contains="2022-05-02")
    card = first[first.rfind('<article class="review-card">', 0, first.index(review.url)) :]
    card = card[: card.index("</article>")]
    assert f'href="{review.url}"' in card
    if review.still:
        assert '<img src="' in card and 'width="320" height="180"' in card
    # The year line of the archive lists each month with its count.
    assert (
        '<li><a href="/reviews/2022/">2022</a>:\n      <a href="/reviews/2022/05/">May</a> '
        '<span class="meta">(1)</span> · <a href="/reviews/2022/04/">Apr</a> '
        '<span class="meta">(2)</span>\n    </li>'
    ) in first
    critic_page = client.get(f"/critics/{archive[0].critic.slug}/?page=2").content.decode()
    assert "Extra 01" in critic_page and "Film 2022-04-14" not in critic_page
