from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "facit.api"
    label = "api"
