"""Readers: articles, festival editions with the critics' grid, film and critic pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import CriticFactory, FilmFactory
from kinocritics.festivals.blocks import FestivalReviewBlock
from kinocritics.festivals.models import (
    ArticleIndexPage,
    ArticlePage,
    Festival,
    FestivalEdition,
    FestivalEntry,
)


def _main(response) -> str:
    """The page's <main> only: the sidebar lists the newest articles on every page."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def edition(db):
    festival = Festival.objects.create(name="Berlinale", slug="berlinale", city="Berlin")
    return FestivalEdition.objects.create(
        festival=festival, year=2014, start_date=dt.date(2014, 2, 6),
        end_date=dt.date(2014, 2, 16), city="Berlin", sections="Competition\nPanorama",
    )  # fmt: skip


@pytest.fixture
def critics(db):
    return {
        "BS": CriticFactory(name="Bea Sample", slug="bea-sample", initials="BS"),
        "KB": CriticFactory(name="Kit Bright", slug="kit-bright", initials="KB"),
        "NT": CriticFactory(name="Nora Test", slug="nora-test", initials="NT"),
    }


def review_block(*, author, stars, co=(), film=None, title="", text="A fine film."):
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


def publish_article(*, title, edition=None, body=(), authors=(), kind="festival_report", **extra):
    index = ArticleIndexPage.objects.get()
    article = ArticlePage(
        title=title, slug=title.lower().replace(" ", "-"), kind=kind, edition=edition,
        body=list(body), **extra,
    )  # fmt: skip
    index.add_child(instance=article)
    article.authors.set(list(authors))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def coverage(edition, critics):
    bs, kb, nt = critics["BS"], critics["KB"], critics["NT"]
    boyhood = FilmFactory(title="Boyhood", slug="boyhood-2014", year=2014)
    article = publish_article(
        title="Film Reviews Part I",
        edition=edition,
        authors=[bs],
        body=[
            {"type": "paragraph", "value": "<p>Ten days in Berlin.</p>"},
            review_block(author=bs, stars=8, co=[(kb, 6), (nt, 7)], film=boyhood),
            review_block(author=kb, stars=3, co=[(bs, 4)], title="The Melon Route"),
            {"type": "prize", "value": {"award": "Golden Bear", "amount": "", "film": None,
                                        "title": "Black Coal, Thin Ice", "director": "Diao Yinan"}},
            {"type": "capsule", "value": {"film": boyhood.pk, "title": "", "text": "Twelve years.",
                                          "critic": nt.pk, "see_also": None, "see_also_text": ""}},
        ],
        legacy_id=1234,
        summary="Our first batch of reviews.",
    )  # fmt: skip
    return article, boyhood


@pytest.mark.django_db
def test_publishing_an_article_fills_the_festival_entries(coverage):
    article, boyhood = coverage
    kinds = list(FestivalEntry.objects.order_by("position").values_list("kind", "title"))
    assert kinds == [
        ("review", "Boyhood"),
        ("review", "The Melon Route"),
        ("prize", "Black Coal, Thin Ice"),
        ("capsule", "Boyhood"),
    ]
    boyhood_entry = FestivalEntry.objects.get(kind="review", film=boyhood)
    assert sorted((r.critic.initials, r.half_stars) for r in boyhood_entry.ratings.all()) == [
        ("BS", 8), ("KB", 6), ("NT", 7)
    ]  # fmt: skip
    article.unpublish()
    assert not FestivalEntry.objects.exists()


@pytest.mark.django_db
def test_edition_page_shows_grid_prizes_articles_and_capsules(client, coverage):
    html = client.get("/festivals/berlinale/2014/").content.decode()
    assert "Critics&#x27; grid" in html or "Critics' grid" in html
    grid = html[html.index('<table class="grid">') : html.index("</table>")]
    assert grid.index("Boyhood") < grid.index("The Melon Route")  # by title
    assert "3.5" in grid  # Boyhood: (4 + 3 + 3.5) / 3
    assert "Golden Bear" in html and "Diao Yinan" in html
    assert "Film Reviews Part I" in html and "Twelve years." in html
    by_average = client.get("/festivals/berlinale/2014/?sort=average").content.decode()
    assert by_average.index("Boyhood") < by_average.index("The Melon Route")
    by_bs = client.get("/festivals/berlinale/2014/?sort=kb").content.decode()
    grid = by_bs[by_bs.index('<table class="grid">') :]
    assert grid.index("Boyhood") < grid.index("The Melon Route")
    assert client.get("/festivals/berlinale/1999/").status_code == 404


@pytest.mark.django_db
def test_edition_page_query_count_does_not_grow_with_entries(client, edition, critics):
    bs, kb, nt = critics["BS"], critics["KB"], critics["NT"]

    def queries(entries: int) -> int:
        festival = Festival.objects.create(name=f"Fest {entries}", slug=f"fest-{entries}")
        other = FestivalEdition.objects.create(festival=festival, year=2014)
        publish_article(
            title=f"List {entries}", edition=other, authors=[bs],
            body=[review_block(author=bs, stars=6, co=[(kb, 5), (nt, 4)], title=f"Film {n}")
                  for n in range(entries)],
        )  # fmt: skip
        client.get(f"/festivals/fest-{entries}/2014/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/festivals/fest-{entries}/2014/").status_code == 200
        return len(ctx)

    queries(1)
    assert queries(3) == queries(40)


@pytest.mark.django_db
def test_article_page_renders_blocks_with_byline_and_json_ld(client, coverage):
    article, _ = coverage
    html = client.get(article.url).content.decode()
    assert 'by <a href="/critics/bea-sample/">Bea Sample</a>' in html
    assert (
        '(<a href="/critics/bea-sample/">Bea Sample</a>, <abbr title="Kit Bright">KB</abbr>★★★'
        in html
    )
    jsonld.validate_page(html)
    data = jsonld.by_type(html, "Article")
    assert data["author"][0]["name"] == "Bea Sample"
    assert data["about"]["name"] == "Berlinale 2014"


@pytest.mark.django_db
def test_group_pieces_are_by_the_kinocritics(client, critics):
    article = publish_article(title="Tops and Flops", kind="list", group_byline=True)
    html = client.get(article.url).content.decode()
    assert "by the KinoCritics" in html


@pytest.mark.django_db
def test_article_list_filters_by_kind_festival_critic_and_year(client, coverage, critics):
    publish_article(title="Talking to a director", kind="interview", authors=[critics["NT"]])
    html = _main(client.get("/articles/?kind=interview"))
    assert "Talking to a director" in html and "Film Reviews Part I" not in html
    html = _main(client.get("/articles/?festival=berlinale"))
    assert "Film Reviews Part I" in html and "Talking to a director" not in html
    html = _main(client.get("/articles/?critic=nora-test"))
    assert "Talking to a director" in html and "Film Reviews Part I" not in html
    assert client.get("/articles/?year=abc&kind=<x>").status_code == 200


@pytest.mark.django_db
def test_film_and_critic_pages_show_festival_entries(client, coverage):
    _, boyhood = coverage
    html = client.get(boyhood.get_absolute_url()).content.decode()
    section = html[html.index("At the festivals") :]
    assert "Berlinale 2014" in section and "A fine film." in section and "Twelve years." in section
    html = client.get("/critics/bea-sample/").content.decode()
    assert "Articles by Bea Sample" in html and "Film Reviews Part I" in html
    assert "Festival entries" in html and "Boyhood" in html


@pytest.mark.django_db
def test_article_feed_sitemap_and_old_links(client, coverage):
    article, _ = coverage
    feed = client.get("/feeds/articles/").content.decode()
    assert "Film Reviews Part I" in feed
    assert "/festivals/berlinale/2014/" in client.get("/sitemap-festivals.xml").content.decode()
    response = client.get("/article.php?ar=1234")
    assert response.status_code == 301 and response["Location"] == article.url
    assert client.get("/article.php?ar=99").status_code == 404
    assert client.get("/article.php?ar=x").status_code == 404


@pytest.mark.django_db
def test_a_co_rating_by_the_entrys_author_is_refused(critics):
    block = FestivalReviewBlock()
    value = block.to_python(review_block(author=critics["BS"], stars=6, co=[(critics["BS"], 4)],
                                         title="Own Goal")["value"])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "their rating belongs in" in str(error.value.block_errors["co_ratings"])


@pytest.mark.django_db
def test_an_entry_needs_a_film_or_a_title(critics):
    block = FestivalReviewBlock()
    value = block.to_python(review_block(author=critics["BS"], stars=6)["value"])
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_every_page_lists_the_newest_articles_in_the_sidebar(client, coverage):
    article, _ = coverage
    html = client.get("/about/").content.decode()
    sidebar = html[html.index('id="side-articles"') :]
    assert f'href="{article.url}"' in sidebar


@pytest.mark.django_db
def test_critics_grid_escapes_hostile_titles_and_names_and_stays_a_labelled_table(
    client, edition, critics
):
    bs, kb = critics["BS"], critics["KB"]
    sly = CriticFactory(name='Sly "<b>Bold</b>" Critic', slug="sly", initials="SC")
    boyhood = FilmFactory(title="Boyhood", slug="boyhood-2014", year=2014)
    publish_article(
        title="Hostile List", edition=edition, authors=[bs],
        body=[
            review_block(
                author=bs, stars=7, co=[(sly, 2)], title='<script>alert("x")</script> & Co'
            ),
            review_block(author=kb, stars=5, film=boyhood),
        ],
    )  # fmt: skip
    html = _main(client.get("/festivals/berlinale/2014/?sort=sc"))
    grid = html[html.index('<table class="grid">') : html.index("</table>")]
    assert "<script>" not in grid
    assert '<th scope="row">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</th>' in grid
    assert 'title="Sly &quot;&lt;b&gt;Bold&lt;/b&gt;&quot; Critic"' in grid
    assert "<b>" not in grid
    # The film links to its page; a free title stays text.
    assert '<th scope="row"><a href="/films/boyhood-2014/">Boyhood</a></th>' in grid
    # A reader's screen reader hears what the table is and how it is sorted.
    assert "<caption" in grid and "sorted by Sly" in grid
    assert grid.count('scope="col"') == 2 + 3  # Film, BS, KB, SC, Average
    assert '<th scope="col" aria-sort="descending"><a href="?sort=sc"' in grid
    assert 'aria-current="true">SC</a>' in grid
    # Sorted by SC's stars: the film SC rated comes first; an empty cell shows a dot.
    assert grid.index("&lt;script&gt;") < grid.index("Boyhood")
    assert '<td class="stars">·</td>' in grid
    assert '<td class="stars">★</td>' in grid  # SC's one star
