from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Cinema, City, Source


class CinemaViewSet(SnippetViewSet):
    model = Cinema
    icon = "home"
    list_display = ["name", "city", "active"]
    list_filter = ["city", "active"]
    search_backend_name = None
    search_fields = ["name"]


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    list_display = ["name", "time_zone"]


class SourceViewSet(SnippetViewSet):
    """The per-source status view: last run, rows, errors, stale."""

    model = Source
    icon = "download"
    menu_label = "Programme sources"
    list_display = ["name", "kind", "last_success_at", "last_rows", "stale", "last_error"]
    list_filter = ["kind", "stale", "active"]
    search_backend_name = None
    search_fields = ["name"]


class CinemasGroup(SnippetViewSetGroup):
    menu_label = "Cinemas"
    menu_icon = "home"
    menu_order = 220
    items = (CinemaViewSet, CityViewSet, SourceViewSet)


register_snippet(CinemasGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("listings/", admin_views.listing_queue, name="cinemas_listing_queue"),
        path(
            "listings/<int:listing_id>/assign/",
            admin_views.listing_assign_view,
            name="cinemas_listing_assign",
        ),
        path(
            "sources/<int:source_id>/import/",
            admin_views.source_import_view,
            name="cinemas_source_import",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_listing_queue_menu_item():
    return MenuItem(
        "Unmatched listings",
        reverse("cinemas_listing_queue"),
        icon_name="warning",
        order=230,
    )
