from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Festival, FestivalEdition


class FestivalViewSet(SnippetViewSet):
    model = Festival
    icon = "date"
    list_display = ["name", "city"]


class EditionViewSet(SnippetViewSet):
    model = FestivalEdition
    icon = "date"
    menu_label = "Editions"
    list_display = ["festival", "year", "start_date", "city"]
    list_filter = ["festival"]


class FestivalsGroup(SnippetViewSetGroup):
    menu_label = "Festivals"
    menu_icon = "date"
    menu_order = 215
    items = (FestivalViewSet, EditionViewSet)


register_snippet(FestivalsGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("festival-list/paste/", admin_views.paste_review_list, name="festivals_paste")]


@hooks.register("register_admin_menu_item")
def register_paste_menu_item():
    return MenuItem(
        "Paste a review list", reverse("festivals_paste"), icon_name="clipboard-list", order=216
    )
