from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Issue, Subscriber, Suppression


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "mail"
    menu_label = "Issues"
    list_display = ["subject", "month", "status", "recipients"]
    list_filter = ["status"]
    search_backend_name = None
    search_fields = ["subject"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    list_display = ["email", "status", "consent_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_backend_name = None
    search_fields = ["email", "name"]


class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "cross"
    menu_label = "Suppression list"
    list_display = ["email", "reason", "source", "created_at"]
    list_filter = ["reason"]
    search_backend_name = None
    search_fields = ["email"]


class NewsletterGroup(SnippetViewSetGroup):
    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 240
    items = (IssueViewSet, SubscriberViewSet, SuppressionViewSet)


register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("newsletter/", admin_views.issue_list, name="newsletter_issue_list"),
        path(
            "newsletter/issue/<int:issue_id>/",
            admin_views.issue_dashboard,
            name="newsletter_issue_dashboard",
        ),
        path(
            "newsletter/issue/<int:issue_id>/preview.<str:kind>",
            admin_views.issue_preview,
            name="newsletter_issue_preview",
        ),
        path(
            "newsletter/suppressions/import/",
            admin_views.suppression_import,
            name="newsletter_suppression_import",
        ),
        path(
            "newsletter/subscriber/<int:subscriber_id>/export/",
            admin_views.subscriber_export,
            name="newsletter_subscriber_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item():
    return MenuItem(
        "Send newsletter",
        reverse("newsletter_issue_list"),
        icon_name="mail",
        order=241,
    )


@hooks.register("register_snippet_listing_buttons")
def issue_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Issue):
        yield Button(
            "Preview, send and progress",
            admin_views.dashboard_url(snippet),
            icon_name="mail",
            priority=5,
        )
    if isinstance(snippet, Subscriber) and user.has_perm("newsletter.view_subscriber"):
        yield Button(
            "Download data (JSON)",
            reverse("newsletter_subscriber_export", args=[snippet.pk]),
            icon_name="download",
            priority=20,
        )


@hooks.register("before_edit_snippet")
def issue_edit_guard(request, instance):
    """Only drafts and scheduled issues change; what was sent stays as it was sent."""
    if isinstance(instance, Issue) and not instance.editable:
        messages.warning(
            request, f"“{instance}” is {instance.get_status_display().lower()}; it cannot change."
        )
        return redirect(admin_views.dashboard_url(instance))
    return None


@hooks.register("before_delete_snippet")
def issue_delete_guard(request, instances):
    blocked = [i for i in instances if isinstance(i, Issue) and not i.editable]
    if blocked:
        messages.error(request, "Issues that were sent, or are sending, cannot be deleted.")
        return redirect("newsletter_issue_list")
    return None
