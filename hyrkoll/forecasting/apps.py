from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    name = "hyrkoll.forecasting"
    label = "forecasting"
