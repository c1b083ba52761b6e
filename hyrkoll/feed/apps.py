from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "hyrkoll.feed"
    label = "feed"
