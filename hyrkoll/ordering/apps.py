from django.apps import AppConfig


class OrderingConfig(AppConfig):
    name = "hyrkoll.ordering"
    label = "ordering"
