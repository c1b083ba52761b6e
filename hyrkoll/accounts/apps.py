from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hyrkoll.accounts"
    label = "accounts"
