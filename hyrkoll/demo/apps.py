from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hyrkoll.demo"
    label = "demo"
