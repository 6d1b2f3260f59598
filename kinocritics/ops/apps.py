from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kinocritics.ops"
    label = "ops"
    verbose_name = "Operations"
