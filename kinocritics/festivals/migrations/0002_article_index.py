"""Create the /articles/ index page under the home page."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(parent_path: str, last_child_path: str | None) -> str:
    number = int(last_child_path[-4:], 36) + 1 if last_child_path else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent_path + digits.rjust(4, "0")


def create_article_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("core.HomePage")
    ArticleIndexPage = apps.get_model("festivals.ArticleIndexPage")
    if ArticleIndexPage.objects.exists():
        return
    home = HomePage.objects.first()
    if home is None:
        return
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    existing_children = children.count()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="festivals", model="articleindexpage"
    )
    ArticleIndexPage.objects.create(
        title="Articles",
        draft_title="Articles",
        slug="articles",
        content_type=content_type,
        path=_next_child_path(home.path, last),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}articles/",
        live=True,
        locale_id=home.locale_id,
        intro="Interviews with the stars, essays, press conferences and festival reports.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=existing_children + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("festivals", "0001_initial"),
        ("reviews", "0002_site_pages"),
    ]

    operations = [migrations.RunPython(create_article_index, migrations.RunPython.noop)]
