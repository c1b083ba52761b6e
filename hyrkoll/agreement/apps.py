from django.apps import AppConfig


class AgreementConfig(AppConfig):
    name = "hyrkoll.agreement"
    label = "agreement"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from hyrkoll.agreement.models import PriceList, check_raw_price_list_period

        # loaddata bypasses PriceList.save(); check the overlap rule on its raw saves too.
        pre_save.connect(check_raw_price_list_period, sender=PriceList, dispatch_uid="price_list_raw_period")
