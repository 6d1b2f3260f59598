"""Reading the old site's festival review lists: what an editor sees in the draft.

The critics, films and prose are invented. Most tests are pure (no database); the last few
use the catalogue through FilmMatcher and load critics with `critic_refs`.
"""

import dataclasses
import datetime as dt
import random
from textwrap import dedent

import pytest

from kinocritics.cinemas.matching import FilmMatcher
from kinocritics.core.tests.factories import CriticFactory, FilmFactory
from kinocritics.festivals.review_list import (
    CoRatingDraft,
    CriticRef,
    EntryDraft,
    ListDraft,
    critic_refs,
    review_list_parse,
)

CRITICS = [
    CriticRef(id=1, name="Greta Holm", initials="GH"),
    CriticRef(id=2, name="Pia Lindenau", initials="PL"),
    CriticRef(id=3, name="Ruth Okafor", initials="RO"),
    CriticRef(id=4, name="Mara Vogt", initials="MV"),
    CriticRef(id=5, name="Iris O’Dwyer", initials="IO"),
    CriticRef(id=6, name="Lotte Schäfer", initials="LS"),
]
GH, PL, RO, MV, IO, LS = (c.id for c in CRITICS)
FILMFEST = dt.date(2024, 9, 26)  # a Hamburg edition: late September
BERLINALE = dt.date(2024, 2, 15)

MELON_ROUTE = """\
Melon Route, The ****
Vera Lindqvist, Sweden/Denmark
Starts December 27
Two sisters drive a lorry of melons from Murcia to Malmö, and the road
movie turns, mile by mile, into a quiet study of grief. Lindqvist never
hurries a scene.
(Greta Holm, PL***, RO**1/2)
"""


def parse(text: str, **kwargs) -> ListDraft:
    kwargs.setdefault("critics", CRITICS)
    return review_list_parse(dedent(text), **kwargs)


def only(text: str, **kwargs) -> EntryDraft:
    """The single entry of a one-block list."""
    draft = parse(text, **kwargs)
    assert len(draft.entries) == 1, draft
    return draft.entries[0]


def block(
    title: str = "Melon Route, The ****",
    *,
    director: str = "Vera Lindqvist, Sweden/Denmark",
    start: str = "",
    text: str = "Two sisters drive a lorry of melons north and say very little.",
    closing: str = "(Greta Holm, PL***, RO**1/2)",
) -> str:
    """One block, with lines left out when given as ""."""
    return "\n".join(line for line in (title, director, start, text, closing) if line) + "\n"


# --- a block and a list ------------------------------------------------------------------------


def test_a_block_reads_into_every_field_of_the_entry():
    entry = only(MELON_ROUTE, when=FILMFEST, year=2024)

    assert entry == EntryDraft(
        line=1,
        raw_title="Melon Route, The",
        title="The Melon Route",
        half_stars=8,
        stars_raw="****",
        directors=("Vera Lindqvist",),
        countries=("Sweden", "Denmark"),
        german_start_raw="Starts December 27",
        german_start=dt.date(2024, 12, 27),
        text=(
            "Two sisters drive a lorry of melons from Murcia to Malmö, and the road movie "
            "turns, mile by mile, into a quiet study of grief. Lindqvist never hurries a scene."
        ),
        author_name="Greta Holm",
        author_critic_id=GH,
        co_ratings=(
            CoRatingDraft(initials="PL", half_stars=6, raw="PL***", critic_id=PL, problem=""),
            CoRatingDraft(initials="RO", half_stars=5, raw="RO**1/2", critic_id=RO, problem=""),
        ),
        cross_reference="",
        film_id=None,
        film_score=0.0,
        film_decision="",
        problems=(),
    )


def test_the_drafts_are_frozen_plain_data():
    entry = only(MELON_ROUTE)

    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "Something Else"  # type: ignore[misc]


def test_blocks_separated_by_blank_lines_become_entries_in_list_order():
    text = "\n".join(
        [
            block("Anchor Weather ***", text="A ferry captain retires and cannot stop."),
            block("Bright Hollow **1/2", text="Teenagers, a quarry, one long summer."),
            block("Copper Sky", text="A mining town votes on its own future."),
        ]
    )

    draft = parse(text)

    assert [(e.line, e.title, e.half_stars) for e in draft.entries] == [
        (1, "Anchor Weather", 6),
        (6, "Bright Hollow", 5),
        (11, "Copper Sky", None),
    ]
    assert draft.problems == ()
    assert all(e.problems == () for e in draft.entries)


def test_a_blank_line_inside_a_review_keeps_it_one_entry_with_two_paragraphs():
    entry = only(
        """\
        Salt Marsh ***
        Oskar Brenner, Germany
        The first half watches birds.

        The second half watches the people watching them.
        (Pia Lindenau, GH**)
        """
    )

    assert entry.text == (
        "The first half watches birds.\n\nThe second half watches the people watching them."
    )
    assert entry.problems == ()


def test_wrapped_lines_join_with_a_space_and_a_hyphenated_break_keeps_its_hyphen():
    entry = only(block(text="A well-\nobserved comedy about\na night bus.", closing="(Mara Vogt)"))

    assert entry.text == "A well-observed comedy about a night bus."


def test_an_empty_list_reads_as_no_entries_and_no_problems():
    assert parse("") == ListDraft(entries=(), problems=())
    assert parse("\n \n\t\n") == ListDraft(entries=(), problems=())


# --- stars -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "half_stars"),
    [
        ("*", 2),
        ("*1/2", 3),
        ("**", 4),
        ("**1/2", 5),
        ("**½", 5),
        ("** 1/2", 5),
        ("***", 6),
        ("***½", 7),
        ("****", 8),
    ],
)
def test_the_authors_stars_follow_the_title_with_halves_as_1_2_or_the_half_sign(stars, half_stars):
    entry = only(block(f"Salt Marsh {stars}"))

    assert (entry.title, entry.half_stars, entry.stars_raw) == ("Salt Marsh", half_stars, stars)
    assert entry.problems == ()


def test_a_title_without_stars_is_an_unrated_entry_not_a_problem():
    entry = only(block("Salt Marsh"))

    assert (entry.title, entry.half_stars, entry.stars_raw, entry.problems) == (
        "Salt Marsh",
        None,
        "",
        (),
    )


@pytest.mark.parametrize("stars", ["*****", "**3/4", "***1/3"])
def test_unreadable_stars_are_kept_as_written_and_flagged(stars):
    entry = only(block(f"Melon Route, The {stars}"))

    assert (entry.title, entry.half_stars, entry.stars_raw) == ("The Melon Route", None, stars)
    assert entry.problems == (
        f"“{stars}” is not a rating in the entry “The Melon Route”: "
        "use * to **** with optional 1/2",
    )


# --- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Melon Route, The", "The Melon Route"),
        ("Star Is Born Again, A", "A Star Is Born Again"),
        ("Himmel über Hamm, Der", "Der Himmel über Hamm"),
        ("Stille Jahr, Das", "Das Stille Jahr"),
        ("Haine douce, La", "La Haine douce"),
        ("Escaliers, Les", "Les Escaliers"),
        ("Avventura lunga, L'", "L'Avventura lunga"),
        ("Attente, L’", "L’Attente"),
        ("Quiet, the Loud and the Lost, The", "The Quiet, the Loud and the Lost"),
        ("MELON ROUTE, THE", "THE MELON ROUTE"),
        ("Paris, Ohio", "Paris, Ohio"),
        ("Love, Aunt Edna", "Love, Aunt Edna"),
        ("Lantern Keepers", "Lantern Keepers"),
    ],
)
def test_an_inverted_leading_article_is_turned_round_for_display(written, shown):
    entry = only(block(f"{written} ***"))

    assert (entry.raw_title, entry.title) == (written, shown)


def test_an_inverted_title_with_an_english_title_in_parentheses_turns_the_main_title_round():
    entry = only(block("Himmel über Hamm, Der (Wings over Hamm) ***"))

    assert entry.title == "Der Himmel über Hamm (Wings over Hamm)"


def test_quotes_round_a_title_are_dropped_for_display():
    entry = only(block("“Melon Route, The” ***"))

    assert entry.title == "The Melon Route"


# --- director and country line -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "directors", "countries"),
    [
        ("Vera Lindqvist, Sweden", ("Vera Lindqvist",), ("Sweden",)),
        (
            "Vera Lindqvist, Sweden/Denmark/Norway",
            ("Vera Lindqvist",),
            ("Sweden", "Denmark", "Norway"),
        ),
        ("Vera Lindqvist, Sweden / Denmark", ("Vera Lindqvist",), ("Sweden", "Denmark")),
        (
            "Anna Petrow, Jonas van der Berg, Netherlands/Belgium",
            ("Anna Petrow", "Jonas van der Berg"),
            ("Netherlands", "Belgium"),
        ),
        ("Walter Greenleaf, Jr., U.S.A.", ("Walter Greenleaf, Jr.",), ("U.S.A.",)),
        (
            "Walter Greenleaf, Jr., Amira Haddad, U.S.A./Lebanon",
            ("Walter Greenleaf, Jr.", "Amira Haddad"),
            ("U.S.A.", "Lebanon"),
        ),
        ("Jean-Luc d’Orsay, Côte d’Ivoire", ("Jean-Luc d’Orsay",), ("Côte d’Ivoire",)),
        ("Mirela Kovač, Bosnia and Herzegovina", ("Mirela Kovač",), ("Bosnia and Herzegovina",)),
        ("Vera Lindqvist, Sweden, 2023", ("Vera Lindqvist",), ("Sweden",)),
        ("Vera Lindqvist, Sweden 2023", ("Vera Lindqvist",), ("Sweden",)),
    ],
)
def test_the_director_line_gives_names_and_a_slash_separated_country_list(
    line, directors, countries
):
    entry = only(block(director=line))

    assert (entry.directors, entry.countries, entry.problems) == (directors, countries, ())


def test_a_director_without_a_country_is_kept_and_flagged():
    entry = only(block(director="Walter Greenleaf, Jr."))

    assert (entry.directors, entry.countries) == (("Walter Greenleaf, Jr.",), ())
    assert entry.problems == (
        "no country in the director line of the entry “The Melon Route”: end it with “, Country”",
    )


def test_a_block_without_a_director_line_keeps_its_text_and_is_flagged():
    entry = only(block(director="", text="A lorry, some melons, a long road north."))

    assert entry.directors == entry.countries == ()
    assert entry.text == "A lorry, some melons, a long road north."
    assert entry.problems == (
        "the entry “The Melon Route” has no director line: add “Name, Country” under the title",
    )


# --- German start line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "when", "year", "expected"),
    [
        # No year written: the next such day on or after the festival.
        ("Starts December 27", BERLINALE, 2024, dt.date(2024, 12, 27)),
        ("Starts January 9", FILMFEST, 2024, dt.date(2025, 1, 9)),
        ("Starts September 26", FILMFEST, 2024, dt.date(2024, 9, 26)),
        ("Starts Dec. 27th", FILMFEST, None, dt.date(2024, 12, 27)),
        ("Starts 9 January", FILMFEST, None, dt.date(2025, 1, 9)),
        # A written year wins.
        ("Starts 27 December 2024", dt.date(2025, 2, 13), 2025, dt.date(2024, 12, 27)),
        ("Starts December 27, 2024", None, None, dt.date(2024, 12, 27)),
        ("German release: 27.12.2024", None, None, dt.date(2024, 12, 27)),
        ("German release: 27. Dezember 2024", None, None, dt.date(2024, 12, 27)),
        ("Opening 14 Apr 2022", None, None, dt.date(2022, 4, 14)),
        # Only the edition year to go on.
        ("Starts December 27", None, 2024, dt.date(2024, 12, 27)),
        ("German release: 27.12.", None, 2024, dt.date(2024, 12, 27)),
        # No year at all, or no day: the raw text alone.
        ("Starts December 27", None, None, None),
        ("Starts in the spring", FILMFEST, 2024, None),
        ("German release: not yet set", FILMFEST, 2024, None),
        ("No German release yet", FILMFEST, 2024, None),
    ],
)
def test_the_german_start_line_keeps_its_text_and_a_date_when_a_year_can_be_had(
    line, when, year, expected
):
    entry = only(block(start=line), when=when, year=year)

    assert (entry.german_start_raw, entry.german_start, entry.problems) == (line, expected, ())
    assert entry.text.startswith("Two sisters")


def test_an_impossible_start_date_is_kept_as_text_and_flagged():
    entry = only(block(start="Starts February 30"), when=FILMFEST)

    assert (entry.german_start_raw, entry.german_start) == ("Starts February 30", None)
    assert entry.problems == (
        "“Starts February 30” in the entry “The Melon Route” is not a date: "
        "write it as “Starts 27 December 2024”",
    )


def test_review_text_that_opens_with_opens_is_not_a_start_line():
    entry = only(block(text="Opens with a long shot of a melon field at dawn, then waits."))

    assert entry.german_start_raw == ""
    assert entry.text == "Opens with a long shot of a melon field at dawn, then waits."


# --- author and co-ratings ---------------------------------------------------------------------


def test_co_ratings_take_initials_and_stars_with_or_without_a_space():
    entry = only(block(closing="(Greta Holm, PL***, RO **½, MV **1/2, IO*)"))

    assert [(c.initials, c.half_stars, c.raw, c.critic_id) for c in entry.co_ratings] == [
        ("PL", 6, "PL***", PL),
        ("RO", 5, "RO **½", RO),
        ("MV", 5, "MV **1/2", MV),
        ("IO", 2, "IO*", IO),
    ]
    assert entry.problems == ()


def test_the_author_alone_closes_a_block_without_co_ratings():
    entry = only(block(closing="(Ruth Okafor)"))

    assert (entry.author_name, entry.author_critic_id, entry.co_ratings) == (
        "Ruth Okafor",
        RO,
        (),
    )


def test_an_author_is_recognised_despite_case_accents_and_apostrophes():
    entries = parse(
        block(closing="(iris o'dwyer, GH**)")
        + "\n"
        + block("Salt Marsh **", closing="(Lotte Schafer, GH***)")
    ).entries

    assert [(e.author_name, e.author_critic_id) for e in entries] == [
        ("iris o'dwyer", IO),
        ("Lotte Schafer", LS),
    ]


def test_an_author_given_by_initials_is_recognised():
    entry = only(block(closing="(MV)"))

    assert (entry.author_name, entry.author_critic_id, entry.problems) == ("MV", MV, ())


def test_unknown_initials_keep_the_co_rating_and_are_flagged():
    entry = only(block(closing="(Greta Holm, XY***, PL**)"))

    assert entry.co_ratings[0] == CoRatingDraft(
        initials="XY",
        half_stars=6,
        raw="XY***",
        critic_id=None,
        problem="unknown initials “XY” in the entry “The Melon Route”: "
        "add the critic or correct the initials",
    )
    assert entry.co_ratings[1].critic_id == PL
    assert entry.problems == (entry.co_ratings[0].problem,)


@pytest.mark.parametrize("stars", ["*****", "**3/4", "***1/3"])
def test_an_unreadable_co_rating_is_kept_as_written_and_flagged(stars):
    entry = only(block(closing=f"(Greta Holm, PL{stars})"))

    assert entry.co_ratings == (
        CoRatingDraft(
            initials="PL",
            half_stars=None,
            raw=f"PL{stars}",
            critic_id=PL,
            problem=f"“{stars}” (co-rating by PL) is not a rating in the entry "
            "“The Melon Route”: use * to **** with optional 1/2",
        ),
    )
    assert entry.problems == (entry.co_ratings[0].problem,)


def test_a_co_rating_by_the_author_is_kept_and_flagged():
    entry = only(block(closing="(Greta Holm, PL***, GH****)"))

    assert [(c.initials, c.critic_id) for c in entry.co_ratings] == [("PL", PL), ("GH", GH)]
    assert entry.problems == (
        "co-rating by the author “GH” in the entry “The Melon Route”: "
        "the author's rating goes after the title",
    )


def test_a_co_rating_without_stars_or_given_twice_is_flagged():
    entry = only(block(closing="(Greta Holm, PL, RO**, RO***)"))

    assert [c.half_stars for c in entry.co_ratings] == [None, 4, 6]
    assert entry.problems == (
        "the co-rating by “PL” in the entry “The Melon Route” has no stars: "
        "add * to **** after the initials",
        "two co-ratings by “RO” in the entry “The Melon Route”: keep one",
    )


def test_co_ratings_without_commas_and_odd_parts_are_all_kept():
    entry = only(block(closing="(Greta Holm, PL*** RO**; MV*, seen twice)"))

    assert [(c.initials, c.half_stars, c.raw) for c in entry.co_ratings] == [
        ("PL", 6, "PL***"),
        ("RO", 4, "RO**"),
        ("MV", 2, "MV*"),
        ("", None, "seen twice"),
    ]
    assert entry.problems == (
        "“seen twice” in the author line of the entry “The Melon Route” is not a co-rating: "
        "write initials and stars, as in KB**1/2",
    )


def test_an_author_who_is_not_a_critic_is_kept_and_flagged():
    entry = only(block(closing="(Hannelore Quast, PL***)"))

    assert (entry.author_name, entry.author_critic_id) == ("Hannelore Quast", None)
    assert entry.problems == (
        "the author “Hannelore Quast” of the entry “The Melon Route” is not one of our "
        "critics: correct the name or add the critic first",
    )


def test_a_closing_line_with_co_ratings_only_is_flagged_for_its_missing_author():
    entry = only(block(closing="(PL***, RO**)"))

    assert entry.author_name == ""
    assert [c.initials for c in entry.co_ratings] == ["PL", "RO"]
    assert entry.problems == (
        "no author named in the closing line of the entry “The Melon Route”: "
        "start it with the critic's name, as in (Name, BS***)",
    )


def test_a_long_author_line_may_wrap():
    entry = only(block(closing="(Greta Holm, PL***, RO**1/2,\nMV***, IO**)"))

    assert [c.initials for c in entry.co_ratings] == ["PL", "RO", "MV", "IO"]
    assert entry.problems == ()


def test_a_parenthesised_aside_in_the_text_is_not_taken_for_the_author_line():
    entry = only(
        block(
            text="The lorry breaks down twice\n(in German with English subtitles)\n"
            "and nobody minds.",
        )
    )

    assert "(in German with English subtitles)" in entry.text
    assert entry.author_critic_id == GH


# --- blocks that are incomplete or point elsewhere ---------------------------------------------


def test_a_block_without_its_author_line_is_kept_and_the_next_block_still_reads():
    text = block(closing="") + "\n" + block("Salt Marsh **", closing="(Ruth Okafor, PL*)")

    draft = parse(text)

    assert [(e.title, e.author_name) for e in draft.entries] == [
        ("The Melon Route", ""),
        ("Salt Marsh", "Ruth Okafor"),
    ]
    assert draft.entries[0].problems == (
        "the entry “The Melon Route” has no closing author line: add one such as "
        "(Name, BS***) after the text",
    )
    assert draft.entries[1].problems == ()


def test_a_block_without_its_author_line_and_without_a_blank_line_after_it_is_split():
    text = block(closing="") + block("Salt Marsh **", closing="(Ruth Okafor)")

    draft = parse(text)

    assert [(e.line, e.title, e.text) for e in draft.entries] == [
        (1, "The Melon Route", "Two sisters drive a lorry of melons north and say very little."),
        (4, "Salt Marsh", "Two sisters drive a lorry of melons north and say very little."),
    ]


def test_an_unrated_block_without_its_author_line_ends_where_the_next_title_begins():
    text = block("Copper Sky", closing="") + "\n" + block("Salt Marsh", closing="(Mara Vogt)")

    draft = parse(text)

    assert [e.title for e in draft.entries] == ["Copper Sky", "Salt Marsh"]
    assert "no closing author line" in draft.entries[0].problems[0]


def test_an_unrated_block_without_its_author_line_and_blank_line_is_split_after_a_sentence():
    text = block("Copper Sky", closing="") + block("Fjord Light", director="Ana Ruiz, Norway")

    draft = parse(text)

    assert [(e.line, e.title, e.directors) for e in draft.entries] == [
        (1, "Copper Sky", ("Vera Lindqvist",)),
        (4, "Fjord Light", ("Ana Ruiz",)),
    ]
    assert "no closing author line" in draft.entries[0].problems[0]
    assert draft.entries[1].problems == ()


def test_a_blank_line_between_title_and_director_line_keeps_one_block():
    entry = only("Salt Marsh ***\n\nOskar Brenner, Germany\nBirds.\n(Mara Vogt)\n")

    assert (entry.title, entry.directors, entry.text, entry.problems) == (
        "Salt Marsh",
        ("Oskar Brenner",),
        "Birds.",
        (),
    )


@pytest.mark.parametrize("pointer", ["See festival coverage", "See detailed review"])
def test_a_block_that_only_points_elsewhere_needs_no_text_or_author(pointer):
    text = block("Haine douce, La ***", text=pointer, closing="") + "\n" + block("Salt Marsh")

    draft = parse(text)

    pointing = draft.entries[0]
    assert (pointing.title, pointing.cross_reference, pointing.text) == (
        "La Haine douce",
        pointer,
        "",
    )
    assert pointing.problems == ()
    assert draft.entries[1].title == "Salt Marsh"


def test_a_pointer_block_may_also_carry_the_author_and_co_ratings():
    entry = only(block(text="See festival coverage", closing="(Pia Lindenau, GH**)"))

    assert (entry.cross_reference, entry.text, entry.author_critic_id) == (
        "See festival coverage",
        "",
        PL,
    )
    assert entry.problems == ()


def test_a_cross_reference_after_the_text_is_kept_apart_from_it():
    entry = only(block(text="A short note on a long film.\nSee detailed review by MV"))

    assert (entry.text, entry.cross_reference) == (
        "A short note on a long film.",
        "See detailed review by MV",
    )
    assert entry.problems == ()


def test_a_cross_reference_after_the_author_line_belongs_to_the_entry_above():
    text = block() + "See detailed review by RO\n\n" + block("Salt Marsh")

    draft = parse(text)

    assert [e.cross_reference for e in draft.entries] == ["See detailed review by RO", ""]
    assert draft.problems == ()


def test_a_see_sentence_inside_the_text_stays_text():
    entry = only(block(text="See the review of her debut for the back story.\nThis one is better."))

    assert entry.cross_reference == ""
    assert entry.text.startswith("See the review of her debut")


def test_a_cross_reference_to_unknown_initials_is_flagged():
    entry = only(block(text="Brief, sharp, funny.\nSee detailed review by ZZ"))

    assert entry.problems == (
        "unknown initials “ZZ” in the cross-reference of the entry “The Melon Route”: "
        "add the critic or correct the initials",
    )


def test_a_block_with_no_text_and_no_pointer_is_flagged():
    entry = only(block(text=""))

    assert entry.problems == (
        "the entry “The Melon Route” has neither review text nor a cross-reference: add the text",
    )


# --- text that is not a block ------------------------------------------------------------------


def test_a_heading_before_the_list_is_a_list_problem_not_an_entry():
    text = "Filmfest Hamburg 2024: Film Reviews, Part II\n\n" + block()

    draft = parse(text)

    assert [e.title for e in draft.entries] == ["The Melon Route"]
    assert draft.entries[0].line == 3
    assert draft.problems == (
        "line 1: “Filmfest Hamburg 2024: Film Reviews, Part II” is not a review block: "
        "delete it, or complete the block (title, director line, text, (author))",
    )


def test_a_heading_directly_on_top_of_an_entry_is_split_off():
    draft = parse("FILM REVIEWS\n" + block())

    assert [(e.line, e.title) for e in draft.entries] == [(2, "The Melon Route")]
    assert draft.problems[0].startswith("line 1: “FILM REVIEWS” is not part of a review block")


def test_a_heading_on_top_of_an_unrated_entry_is_split_off():
    draft = parse("Part II: the Panorama\n" + block("Copper Sky"))

    assert [(e.line, e.title, e.directors) for e in draft.entries] == [
        (2, "Copper Sky", ("Vera Lindqvist",))
    ]
    assert draft.problems[0].startswith("line 1: “Part II: the Panorama” is not part of")


def test_an_introduction_pasted_with_the_list_is_quoted_whole_in_a_list_problem():
    intro = "Twelve days, 140 films,\nand rain on every one of them."

    draft = parse(intro + "\n\n" + block())

    assert len(draft.entries) == 1
    assert draft.problems == (
        "line 1: “Twelve days, 140 films, / and rain on every one of them.” is not a review "
        "block: delete it, or complete the block (title, director line, text, (author))",
    )


def test_a_pointer_in_parentheses_is_still_a_cross_reference():
    entry = only(block(text="(See festival coverage)", closing=""))

    assert (entry.cross_reference, entry.author_name, entry.problems) == (
        "(See festival coverage)",
        "",
        (),
    )


def test_an_author_line_that_follows_no_review_is_a_list_problem():
    draft = parse(block() + "\n(Ruth Okafor, PL**)\n")

    assert len(draft.entries) == 1
    assert draft.problems == (
        "line 6: the author line “(Ruth Okafor, PL**)” follows no review: "
        "join it to the block it closes",
    )


# --- messy input -------------------------------------------------------------------------------


def test_crlf_tabs_non_breaking_spaces_and_stray_whitespace_read_like_clean_text():
    clean = MELON_ROUTE + "\n" + block("Salt Marsh **½", closing="(Pia Lindenau, GH **½)")
    messy = "\ufeff" + clean.replace("\n", "\r\n").replace("The ****", "The\u00a0****").replace(
        "Vera Lindqvist,", "\tVera\u00a0 Lindqvist ,"
    ).replace("GH **½", "GH\u202f**½   ").replace("Starts December 27", "Starts  December\t27  ")

    assert parse(messy, when=FILMFEST) == parse(clean, when=FILMFEST)


def test_every_entry_problem_names_its_entry():
    text = "\n".join(
        [
            block("Melon Route, The *****", closing="(Hannelore Quast, XY**, PL**3/4)"),
            block("Salt Marsh", director="", start="Starts February 30", closing=""),
            block("Copper Sky ***", text="", closing="(Greta Holm, GH***, RO)"),
        ]
    )

    draft = parse(text, when=FILMFEST)

    assert [len(e.problems) for e in draft.entries] == [4, 3, 3]
    for entry in draft.entries:
        for problem in entry.problems:
            assert f"“{entry.title}”" in problem


def test_garbage_never_raises_and_every_line_is_accounted_for():
    rng = random.Random(1994)
    pieces = [
        *MELON_ROUTE.splitlines(),
        "(",
        ")",
        "()",
        "(, , ,)",
        "*",
        "½",
        "See",
        ", The",
        "Starts",
        "(XY*****, ZZ)",
        "Ä, Ö/Ü",
        "\u00a0\t",
    ]
    for _ in range(200):
        lines = [rng.choice(pieces) for _ in range(rng.randint(1, 12))]
        draft = parse("\n".join(lines), when=FILMFEST, year=2024)
        seen = repr(draft)
        for line in lines:
            for word in line.replace(",", " ").replace("/", " ").split():
                assert word.strip("()*.") in seen


# --- the database: critics and the film catalogue ----------------------------------------------


@pytest.mark.django_db
def test_critic_refs_loads_every_critic_for_the_parser():
    holm = CriticFactory(name="Greta Holm", initials="GH")
    vogt = CriticFactory(name="Mara Vogt", initials="MV")

    refs = critic_refs()

    assert refs == [
        CriticRef(id=holm.pk, name="Greta Holm", initials="GH"),
        CriticRef(id=vogt.pk, name="Mara Vogt", initials="MV"),
    ]
    entry = only(block(closing="(Greta Holm, MV***)"), critics=refs)
    assert (entry.author_critic_id, entry.co_ratings[0].critic_id) == (holm.pk, vogt.pk)


@pytest.mark.django_db
def test_titles_are_matched_to_films_and_only_an_accept_links_the_film():
    melon = FilmFactory(title="The Melon Route", year=2024)
    FilmFactory(title="Salt Marshes", year=2024)
    text = "\n".join(
        [
            block("Melon Route, The ****"),
            block("Salt Marsh ***"),  # close to "Salt Marshes": for an editor to decide
            block("Copper Sky **"),  # not in the catalogue
        ]
    )

    draft = parse(text, matcher=FilmMatcher.from_db(today=FILMFEST), year=2024, when=FILMFEST)

    found = [(e.title, e.film_id, e.film_decision) for e in draft.entries]
    assert found == [
        ("The Melon Route", melon.pk, "accept"),
        ("Salt Marsh", None, "review"),
        ("Copper Sky", None, "none"),
    ]
    assert draft.entries[0].film_score == 100
    assert 80 <= draft.entries[1].film_score < 95


@pytest.mark.django_db
def test_the_film_year_on_the_director_line_beats_the_edition_year_for_a_retrospective():
    old = FilmFactory(title="Harbour Lights", year=1987)
    matcher = FilmMatcher.from_db(today=FILMFEST)

    with_year = only(
        block("Harbour Lights ***", director="Ilse Brandt, West Germany, 1987"),
        matcher=matcher,
        year=2024,
        when=FILMFEST,
    )
    without = only(
        block("Harbour Lights ***", director="Ilse Brandt, West Germany"),
        matcher=matcher,
        year=2024,
        when=FILMFEST,
    )

    assert (with_year.film_id, with_year.film_decision) == (old.pk, "accept")
    # The edition year is 37 years off: a remake, or a film we lack, so an editor decides.
    assert (without.film_id, without.film_decision) == (None, "review")


@pytest.mark.django_db
def test_the_english_title_in_parentheses_is_tried_when_the_main_title_finds_nothing():
    wings = FilmFactory(title="Wings over Hamm", year=2024)

    entry = only(
        block("Himmel über Hamm, Der (Wings over Hamm) ***"),
        matcher=FilmMatcher.from_db(today=FILMFEST),
        year=2024,
        when=FILMFEST,
    )

    assert (entry.film_id, entry.film_decision) == (wings.pk, "accept")
