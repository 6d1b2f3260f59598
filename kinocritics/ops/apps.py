from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_permissions(sender, app_config, using, apps=None, **kwargs):
    """After every migrate: permissions exist for every model, then role groups get theirs.

    post_migrate is sent once per app with models; ops has none, so this listens for auth's.
    """
    if app_config.label != "auth":
        return
    from django.contrib.auth.management import create_permissions

    from .roles import roles_sync_model_permissions

    if apps is None:  # `flush` sends post_migrate without the migration state
        from django.apps import apps
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # a partial `migrate <app>` whose plan does not hold auth's models
        return
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, using=using, apps=apps)
        config.models_module = None
    roles_sync_model_permissions(apps=apps)


class OpsConfig(AppConfig):
    name = "kinocritics.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        post_migrate.connect(_sync_role_permissions, dispatch_uid="ops-role-permissions")
