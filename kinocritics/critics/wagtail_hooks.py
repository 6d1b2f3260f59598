from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Critic


class CriticViewSet(SnippetViewSet):
    model = Critic
    icon = "user"
    menu_label = "Critics"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "initials", "legacy_id"]
    search_backend_name = None  # plain database filtering: the bulk import skips the search index
    search_fields = ["name", "initials"]


register_snippet(CriticViewSet)
