from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "facit.guidance"
    label = "guidance"
