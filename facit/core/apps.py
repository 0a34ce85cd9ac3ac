from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "facit.core"
    label = "core"
    verbose_name = "facit core"
