"""Admin menus follow the roles: nobody is offered a page that would refuse them."""

from django.urls import NoReverseMatch, reverse
from wagtail import hooks

# Custom admin views that check a model permission themselves (their apps' admin_views.py).
MENU_PERMISSIONS = {
    "festivals_paste": "festivals.add_articlepage",
    "cinemas_listing_queue": "cinemas.change_screening",
    "newsletter_issue_list": "newsletter.change_issue",
}


@hooks.register("construct_main_menu")
def hide_menu_items_the_role_cannot_open(request, menu_items):
    refused = set()
    for url_name, permission in MENU_PERMISSIONS.items():
        if request.user.has_perm(permission):
            continue
        try:
            refused.add(reverse(url_name))
        except NoReverseMatch:
            continue
    menu_items[:] = [item for item in menu_items if getattr(item, "url", None) not in refused]
