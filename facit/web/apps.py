from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "facit.web"
    label = "web"
    verbose_name = "Public site"
