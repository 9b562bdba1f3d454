from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "srishti.core"
    label = "core"
