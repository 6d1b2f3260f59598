from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Country, Film, Genre, Person
from .wikidata_admin import FilmEditView


class FilmViewSet(SnippetViewSet):
    model = Film
    edit_view_class = FilmEditView  # adds "Fetch facts from Wikidata" to the header menu
    icon = "media"
    menu_label = "Films"
    list_display = ["title", "year", "german_opening", "wikidata_id"]
    list_filter = ["year", "genres"]
    search_backend_name = None  # plain database filtering: the bulk import skips the search index
    search_fields = ["title", "original_title", "german_title", "english_title"]
    ordering = ["sort_title"]
    list_per_page = 50


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["name", "slug"]
    search_backend_name = None  # plain database filtering: the bulk import skips the search index
    search_fields = ["name"]
    list_per_page = 50


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    list_display = ["name", "short_name"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "tag"


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = "Catalogue"
    menu_icon = "media"
    menu_order = 200
    items = (FilmViewSet, PersonViewSet, CountryViewSet, GenreViewSet)


register_snippet(CatalogueGroup)
