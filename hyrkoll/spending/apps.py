from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "hyrkoll.spending"
    label = "spending"
