"""StreamField blocks for articles: prose, interviews and festival coverage."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from kinocritics.reviews.ratings import RATING_CHOICES, stars_display

STARS = [("", "No rating"), *[(str(v), label) for v, label in RATING_CHOICES]]
PROSE_FEATURES = ["bold", "italic", "link"]


def _stars_value(value) -> int | None:
    return int(value) if value else None


class ImageWithCreditBlock(blocks.StructBlock):
    image = ImageChooserBlock(help_text="The image's credit line prints under it.")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "festivals/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "festivals/blocks/quote.html"


class QABlock(blocks.StructBlock):
    """One turn of a Q&A interview: `Nancy Tilitz (NT): …`."""

    speaker = blocks.CharBlock()
    initials = blocks.CharBlock(max_length=4)
    text = blocks.TextBlock()

    class Meta:
        icon = "comment"
        label = "Q&A exchange"
        template = "festivals/blocks/qa.html"


class CoRatingBlock(blocks.StructBlock):
    critic = SnippetChooserBlock("critics.Critic")
    stars = blocks.ChoiceBlock(choices=STARS[1:])

    class Meta:
        icon = "pick"


class _FilmOrTitle(blocks.StructBlock):
    """Blocks about a film: linked to the catalogue, or a free title when it is not there."""

    def clean(self, value):
        value = super().clean(value)
        if not value.get("film") and not value.get("title", "").strip():
            raise StructBlockValidationError(
                {"title": ValidationError("Choose a film from the catalogue or type its title.")}
            )
        return value


class FestivalReviewBlock(_FilmOrTitle):
    """One entry of a festival review list, with the author's stars and co-ratings."""

    film = SnippetChooserBlock("films.Film", required=False)
    title = blocks.CharBlock(
        required=False, help_text="Only when the film is not in the catalogue."
    )
    stars = blocks.ChoiceBlock(choices=STARS, required=False)
    directors = blocks.CharBlock(required=False, help_text="Director Name, Other Name")
    countries = blocks.CharBlock(required=False, help_text="Country/Country")
    german_start = blocks.CharBlock(required=False, help_text="e.g. Starts December 27")
    text = blocks.TextBlock(required=False)
    cross_reference = blocks.CharBlock(required=False, help_text="e.g. See festival coverage")
    author = SnippetChooserBlock("critics.Critic")
    co_ratings = blocks.ListBlock(CoRatingBlock(), required=False)

    class Meta:
        icon = "pick"
        label = "Festival review entry"
        template = "festivals/blocks/festival_review.html"

    def clean(self, value):
        value = super().clean(value)
        author = value.get("author")
        for co_rating in value.get("co_ratings") or []:
            if author and co_rating.get("critic") and co_rating["critic"].pk == author.pk:
                raise StructBlockValidationError(
                    {
                        "co_ratings": ValidationError(
                            f"{author.name} wrote this entry: their rating belongs in “stars”, "
                            "not in a co-rating."
                        )
                    }
                )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["stars"] = stars_display(_stars_value(value.get("stars")))
        context["co_ratings"] = [
            (c["critic"], stars_display(_stars_value(c["stars"]))) for c in value["co_ratings"]
        ]
        return context


class CapsuleBlock(_FilmOrTitle):
    """'Films We Talked About': a few sentences, initials and a cross-reference."""

    film = SnippetChooserBlock("films.Film", required=False)
    title = blocks.CharBlock(required=False)
    text = blocks.TextBlock(help_text="One to four sentences.")
    critic = SnippetChooserBlock("critics.Critic")
    see_also = blocks.PageChooserBlock(
        required=False, page_type=["reviews.ReviewPage", "festivals.ArticlePage"]
    )
    see_also_text = blocks.CharBlock(required=False, help_text="e.g. See detailed review")

    class Meta:
        icon = "doc-full"
        template = "festivals/blocks/capsule.html"


class ShortFilmBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    english_title = blocks.CharBlock(required=False)
    director = blocks.CharBlock()
    country = blocks.CharBlock()
    year = blocks.IntegerBlock(required=False, min_value=1890, max_value=2100)
    runtime = blocks.RegexBlock(
        regex=r"^\d{1,3}:[0-5]\d$", required=False, help_text="mm:ss",
        error_messages={"invalid": "Write the running time as minutes:seconds, e.g. 14:30."},
    )  # fmt: skip
    colour = blocks.ChoiceBlock(
        choices=[("color", "colour"), ("bw", "black and white"), ("mixed", "colour and b/w")],
        required=False,
    )
    languages = blocks.CharBlock(required=False, help_text="language/subtitle language")
    section = blocks.CharBlock(required=False, help_text="Competition section")

    class Meta:
        icon = "media"
        label = "Short film"
        template = "festivals/blocks/short_film.html"


class PrizeBlock(_FilmOrTitle):
    award = blocks.CharBlock()
    amount = blocks.CharBlock(required=False)
    film = SnippetChooserBlock("films.Film", required=False)
    title = blocks.CharBlock(required=False)
    director = blocks.CharBlock(required=False)

    class Meta:
        icon = "success"
        template = "festivals/blocks/prize.html"


class ListItemBlock(_FilmOrTitle):
    """Tops and flops, favourites, snippets, 'walked out of'."""

    heading = blocks.CharBlock(required=False, help_text="e.g. Tops, Flops, Walked out of")
    film = SnippetChooserBlock("films.Film", required=False)
    title = blocks.CharBlock(required=False)
    text = blocks.TextBlock()
    critic = SnippetChooserBlock("critics.Critic", required=False)

    class Meta:
        icon = "list-ul"
        label = "List item"
        template = "festivals/blocks/list_item.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=[*PROSE_FEATURES, "h2", "h3"])
    image = ImageWithCreditBlock()
    quote = PullQuoteBlock()
    qa = QABlock()
    festival_review = FestivalReviewBlock()
    capsule = CapsuleBlock()
    short_film = ShortFilmBlock()
    prize = PrizeBlock()
    list_item = ListItemBlock()
