"""Replace Wagtail's welcome page with the KinoCritics home page and the /reviews/ index."""

from django.db import migrations


def create_site_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("core.HomePage")
    ReviewIndexPage = apps.get_model("reviews.ReviewIndexPage")

    if HomePage.objects.exists():
        return
    root = Page.objects.get(depth=1)
    locale = Locale.objects.first()
    welcome_type = ContentType.objects.get_for_model(Page)
    Page.objects.filter(depth=2, content_type=welcome_type, slug="home").delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="core", model="homepage")
    index_type, _ = ContentType.objects.get_or_create(app_label="reviews", model="reviewindexpage")
    home = HomePage.objects.create(
        title="KinoCritics",
        draft_title="KinoCritics",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        live=True,
        locale=locale,
        intro="English-language film criticism from Hamburg since 1994.",
    )
    ReviewIndexPage.objects.create(
        title="Film reviews",
        draft_title="Film reviews",
        slug="reviews",
        content_type=index_type,
        path=f"{home.path}0001",
        depth=3,
        numchild=0,
        url_path="/home/reviews/",
        live=True,
        locale=locale,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "KinoCritics"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site_pages, migrations.RunPython.noop)]
