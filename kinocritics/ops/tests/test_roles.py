"""Editorial roles through the Wagtail admin: critics write and submit, editors publish."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kinocritics.core.tests.factories import CriticFactory, FilmFactory
from kinocritics.festivals.models import ArticleIndexPage, ArticlePage
from kinocritics.ops.services import RoleError, user_role_grant
from kinocritics.reviews.models import ReviewPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(django_user_model):
    def make_user(name: str, role: str):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
        user_role_grant(user=user, role=role)
        return user

    return make_user


@pytest.fixture
def critic_user(make_user):
    return make_user("clara", "critic")


@pytest.fixture
def editor_user(make_user):
    return make_user("edda", "editor")


def _review_form(**fields):
    data = {
        "title": "Notes on a quiet film",
        "slug": "notes-on-a-quiet-film",
        "body": rich_text("<p>A first draft.</p>"),
        "summary": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def _review_draft(client, review_index, **fields) -> ReviewPage:
    response = client.post(f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReviewPage.objects.get(slug=fields.get("slug", "notes-on-a-quiet-film"))


def test_the_migration_creates_three_roles_and_the_editorial_workflow():
    assert {"Critics", "Editors", "Admins"} <= set(Group.objects.values_list("name", flat=True))
    assert not Group.objects.filter(name="Moderators").exists()
    root = Page.get_first_root_node()
    workflow = root.get_workflow()
    assert workflow.name == "Editorial review"
    task = workflow.tasks.get().specific
    assert task.name == "Editor approval"
    assert set(task.groups.values_list("name", flat=True)) == {"Editors", "Admins"}
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_critic_drafts_a_review_and_submits_it_but_cannot_publish(
    client, critic_user, review_index
):
    client.force_login(critic_user)
    film = FilmFactory()
    draft = _review_draft(client, review_index, **_review_form(film=film.pk))
    assert draft.owner == critic_user
    assert not draft.live

    # Publishing is refused: the page stays a draft and no new live revision appears.
    client.post(
        f"/admin/pages/{draft.pk}/edit/",
        _review_form(film=film.pk, **{"action-publish": "publish"}),
    )
    draft.refresh_from_db()
    assert not draft.live
    perms = draft.permissions_for_user(critic_user)
    assert perms.can_edit()
    assert not perms.can_publish()

    # The edit page offers "Submit to Editorial review", not "Publish".
    html = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "Submit to Editorial review" in html
    assert 'name="action-publish"' not in html

    response = client.post(
        f"/admin/pages/{draft.pk}/edit/",
        _review_form(film=film.pk, **{"action-submit": "submit"}),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    state = draft.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.current_task_state.task.name == "Editor approval"
    assert not draft.live


def test_editor_approves_the_submitted_review_and_it_goes_live(
    client, critic_user, editor_user, review_index
):
    from kinocritics.core.tests.factories import CreditedImageFactory

    critic = CriticFactory(user=critic_user)
    fields = {"film": FilmFactory().pk, "critic": critic.pk, "still": CreditedImageFactory().pk}
    client.force_login(critic_user)
    draft = _review_draft(client, review_index, **_review_form(**fields))
    client.post(
        f"/admin/pages/{draft.pk}/edit/", _review_form(**fields, **{"action-submit": "submit"})
    )
    draft.refresh_from_db()
    task_state = draft.current_workflow_state.current_task_state

    # The critic cannot approve their own submission.
    approve = f"/admin/pages/workflow/action/{draft.pk}/approve/{task_state.pk}/"
    assert client.post(approve, {"comment": ""}).status_code in (302, 403)
    draft.refresh_from_db()
    assert not draft.live

    client.force_login(editor_user)
    dashboard = client.get("/admin/").content.decode()
    assert "Notes on a quiet film" in dashboard  # "Awaiting your review"
    response = client.post(approve, {"comment": "Lovely."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.current_workflow_state is None
    assert client.get(draft.url).status_code == 200


def test_editor_can_publish_directly(client, editor_user, review_index):
    from kinocritics.core.tests.factories import CreditedImageFactory

    client.force_login(editor_user)
    fields = {
        "film": FilmFactory().pk,
        "critic": CriticFactory().pk,
        "still": CreditedImageFactory().pk,
        "action-publish": "publish",
    }
    response = client.post(
        f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/", _review_form(**fields)
    )
    assert response.status_code == 302
    assert ReviewPage.objects.get(slug="notes-on-a-quiet-film").live


def test_critic_cannot_edit_another_critics_review_or_article(
    client, make_user, critic_user, review_index
):
    other = make_user("otto", "critic")
    client.force_login(other)
    review = _review_draft(client, review_index, **_review_form())
    articles = ArticleIndexPage.objects.get()
    article = ArticlePage(title="Otto's essay", slug="ottos-essay", owner=other)
    articles.add_child(instance=article)
    article.save_revision(user=other)

    client.force_login(critic_user)
    for page in (review, article):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)
        assert not page.permissions_for_user(critic_user).can_edit()
        assert not page.permissions_for_user(critic_user).can_delete()
    response = client.post(
        f"/admin/pages/{review.pk}/edit/", _review_form(title="Hijacked", slug="hijacked")
    )
    assert response.status_code in (302, 403)
    review.refresh_from_db()
    assert review.get_latest_revision_as_object().title == "Notes on a quiet film"


def test_critic_can_draft_an_article_only_under_articles(client, critic_user):
    client.force_login(critic_user)
    articles = ArticleIndexPage.objects.get()
    assert articles.permissions_for_user(critic_user).can_add_subpage()
    home = articles.get_parent()
    assert not home.permissions_for_user(critic_user).can_add_subpage()
    assert not home.permissions_for_user(critic_user).can_edit()


def test_critic_cannot_reach_user_management_but_an_admin_can(client, critic_user, make_user):
    client.force_login(critic_user)
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/users/", "/admin/groups/", "/admin/sites/", "/admin/workflows/list/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url

    admin = make_user("ada", "admin")
    client.force_login(admin)
    listing = client.get("/admin/users/")
    assert listing.status_code == 200
    assert "clara" in listing.content.decode()
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcritic",
            "email": "new@example.org",
            "first_name": "New",
            "last_name": "Critic",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "groups": [Group.objects.get(name="Critics").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = admin.__class__.objects.get(username="newcritic")
    assert list(created.groups.values_list("name", flat=True)) == ["Critics"]
    assert client.get("/admin/workflows/list/").status_code == 200


def test_editor_cannot_manage_users(client, editor_user):
    client.force_login(editor_user)
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/snippets/films/film/").status_code == 200


def test_grant_role_command_sets_one_role_and_links_the_critic(django_user_model):
    user = django_user_model.objects.create_user("erin", "Erin@Example.org", "pw")
    critic = CriticFactory(initials="ET", name="Erin Testwriter")
    out = _call("grant_role", "erin@example.org", "critic", "--critic", "et")
    assert "erin is now a critic" in out
    assert "Linked to the critic profile Erin Testwriter" in out
    critic.refresh_from_db()
    assert critic.user == user

    _call("grant_role", "erin@example.org", "editor")
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    _call("grant_role", "erin@example.org", "none")
    assert not user.groups.exists()


def test_grant_role_explains_what_to_do_when_the_login_is_missing(django_user_model):
    with pytest.raises(CommandError, match="pass --create"):
        _call("grant_role", "nobody@example.org", "critic")
    out = _call("grant_role", "nobody@example.org", "critic", "--create")
    assert "Created the login" in out
    user = django_user_model.objects.get(email="nobody@example.org")
    assert not user.has_usable_password()
    assert user.groups.get().name == "Critics"


def test_a_critic_profile_linked_to_someone_else_is_not_taken_over(django_user_model):
    first = django_user_model.objects.create_user("first", "first@example.org")
    second = django_user_model.objects.create_user("second", "second@example.org")
    critic = CriticFactory(user=first)
    with pytest.raises(RoleError, match="already linked"):
        user_role_grant(user=second, role="critic", critic=critic)
    assert not second.groups.exists()


def test_demo_editor_login_still_reaches_the_admin(client, settings):
    settings.AXES_ENABLED = True  # through the login throttle, as `make run` has it
    from django.contrib.auth import get_user_model

    from kinocritics.core.demo.loader import DEMO_EDITOR, _editor

    class Report:
        def add(self, *_):
            pass

    _editor(Report(), "kinocritics-demo")
    user = get_user_model().objects.get(username=DEMO_EDITOR)
    assert user.check_password("kinocritics-demo")
    response = client.post(
        "/admin/login/", {"username": DEMO_EDITOR, "password": "kinocritics-demo"}
    )
    assert response.status_code == 302
    assert client.get("/admin/users/").status_code == 200


def _call(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_critics_are_not_offered_editor_tools_in_the_menu(client, critic_user, editor_user):
    tools = ("Paste a review list", "Unmatched listings", "Send newsletter")
    client.force_login(critic_user)
    menu = _sidebar_labels(client.get("/admin/").content.decode())
    assert "Pages" in menu and "Images" in menu
    assert not set(tools) & set(menu)
    client.force_login(editor_user)
    menu = _sidebar_labels(client.get("/admin/").content.decode())
    assert set(tools) <= set(menu)


def _sidebar_labels(html: str) -> list[str]:
    import re

    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return re.findall(r'"label": "([^"]+)"', props)
