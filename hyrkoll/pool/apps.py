from django.apps import AppConfig


class PoolConfig(AppConfig):
    name = "hyrkoll.pool"
    label = "pool"
