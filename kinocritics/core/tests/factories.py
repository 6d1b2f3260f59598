"""factory-boy factories for tests across the apps."""

import datetime as dt

import factory
from django.utils import timezone

from kinocritics.core.models import CreditedImage
from kinocritics.critics.models import Critic
from kinocritics.films.models import Country, Credit, Film, FilmCountry, Person
from kinocritics.reviews.models import ReviewIndexPage, ReviewPage


class CreditedImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditedImage

    title = factory.Sequence(lambda n: f"Still {n}")
    credit = "Universal Pictures International Germany GmbH"
    file = factory.django.ImageField(width=640, height=360, color="navy")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("name",)

    name = "United States"
    short_name = "U.S.A."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Number{n}")
    slug = factory.Sequence(lambda n: f"person-number{n}")


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Film Title {n}")
    slug = factory.Sequence(lambda n: f"film-title-{n}")
    year = 2021
    runtime_minutes = 113

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        for position, name in enumerate(extracted or []):
            country = CountryFactory(
                name=name, short_name={"United States": "U.S.A."}.get(name, "")
            )
            FilmCountry.objects.create(film=self, country=country, sort_order=position)


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    film = factory.SubFactory(FilmFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.ACTOR
    sort_order = factory.Sequence(int)


class CriticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Critic

    name = factory.Sequence(lambda n: f"Critic Person{n}")
    slug = factory.Sequence(lambda n: f"critic-person{n}")
    initials = factory.Sequence(lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (1, 0)))
    bio = "<p>Writes about films.</p>"


def review_publish(
    *,
    film: Film,
    critic: Critic,
    body: str = "<p>A considered review.</p>",
    rating: int | None = None,
    published: dt.datetime | None = None,
    still: CreditedImage | None = None,
    **fields,
) -> ReviewPage:
    """Create and publish a review page under /reviews/ (optionally back-dated)."""
    index = ReviewIndexPage.objects.get()
    page = ReviewPage(
        title=fields.pop("title", film.title),
        slug=fields.pop("slug", film.slug),
        film=film,
        critic=critic,
        body=body,
        rating=rating,
        still=still or CreditedImageFactory(),
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    if published:
        ReviewPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
        page.refresh_from_db()
    return page


def aware(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def programme_write(path, *titles) -> None:
    """A CSV programme for the Abaton: one OmU show per title tomorrow, at 20:00, 21:00, …"""
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    rows = "".join(f"abaton,{title} (OmU),{day},{20 + n}:00\n" for n, title in enumerate(titles))
    path.write_text("cinema,title,date,time\n" + rows, encoding="utf-8")


def berlinale_2022():
    """The Berlinale and its 2022 edition."""
    from kinocritics.festivals.models import Festival, FestivalEdition

    return FestivalEdition.objects.create(
        festival=Festival.objects.create(name="Berlinale", slug="berlinale", city="Berlin"),
        year=2022,
        start_date=dt.date(2022, 2, 10),
        end_date=dt.date(2022, 2, 20),
        city="Berlin",
    )


def festival_article(*, film, critic, edition, text: str = "Still restless.", publish=True):
    """A festival report holding one festival review of `film` by `critic`, published."""
    from kinocritics.festivals.models import ArticleIndexPage, ArticlePage

    article = ArticlePage(
        title="Berlinale diary",
        slug="berlinale-diary",
        kind="festival_report",
        edition=edition,
        summary="Day one.",
        body=[
            {
                "type": "festival_review",
                "value": {
                    "film": film.pk,
                    "title": "",
                    "stars": "6",
                    "directors": "Sean Baker",
                    "countries": "U.S.A.",
                    "german_start": "",
                    "text": text,
                    "cross_reference": "",
                    "author": critic.pk,
                    "co_ratings": [],
                },
            }
        ],
    )
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.authors.set([critic])
    if publish:
        article.save_revision().publish()
    return article
