from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hyrkoll.core"
    label = "core"
