"""Groups Critics, Editors and Admins, their page and media permissions, and the workflow."""

from django.db import migrations

from kinocritics.ops.roles import roles_setup


def forwards(apps, schema_editor):
    roles_setup(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("reviews", "0002_site_pages"),
        ("festivals", "0002_article_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
