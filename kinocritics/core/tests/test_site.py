import pytest

from kinocritics.core.tests.factories import FilmFactory


@pytest.mark.django_db
def test_old_review_link_redirects_permanently(client, red_rocket):
    film, review, critic = red_rocket
    response = client.get("/film_review.php?f=2101")
    assert response.status_code == 301
    assert response["Location"] == review.url


@pytest.mark.django_db
def test_old_critic_link_redirects_permanently(client, red_rocket):
    film, review, critic = red_rocket
    critic.legacy_id = 14
    critic.save()
    response = client.get("/critic_sort.php?c=14")
    assert response.status_code == 301
    assert response["Location"] == "/critics/erin-testwriter/"


@pytest.mark.django_db
def test_old_home_redirects_permanently(client):
    response = client.get("/newindex.php")
    assert response.status_code == 301
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/film_review.php?f=999999",
        "/film_review.php?f=abc",
        "/film_review.php",
        "/critic_sort.php?c=-1",
        "/critic_sort.php?c=99999999999999999999999",
        "/article.php?ar=5",
    ],
)
def test_unknown_old_links_are_a_proper_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"from our old site" in response.content


@pytest.mark.django_db
def test_sitemap_index_and_sections_list_pages_films_people_and_critics(client, red_rocket):
    index = client.get("/sitemap.xml").content.decode()
    for section in ("pages", "films", "people", "critics"):
        assert f"sitemap-{section}.xml" in index
    films = client.get("/sitemap-films.xml").content.decode()
    assert "/films/red-rocket-2021/" in films
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert red_rocket[1].url in pages


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap_and_keeps_admin_out(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/films/", "/reviews/", "/critics/", "/about/", "/cinemas/"])
def test_every_page_has_open_graph_tags(client, red_rocket, url):
    html = client.get(url).content.decode()
    for prop in ("og:title", "og:description", "og:url", "og:image", "og:site_name"):
        assert f'property="{prop}"' in html, (url, prop)


@pytest.mark.django_db
def test_titles_are_escaped(client):
    film = FilmFactory(title="<script>alert(1)</script>", slug="xss")
    html = client.get(film.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\u003Cscript\\u003E" in html  # inside the JSON-LD block
