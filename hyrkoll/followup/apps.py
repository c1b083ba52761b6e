from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "hyrkoll.followup"
    label = "followup"
