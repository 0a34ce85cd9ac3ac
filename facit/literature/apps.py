from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "facit.literature"
    label = "literature"
