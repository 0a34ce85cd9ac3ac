from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "facit.directory"
    label = "directory"
