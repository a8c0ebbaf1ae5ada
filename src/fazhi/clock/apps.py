from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "fazhi.clock"
    label = "clock"
    verbose_name = "法定期限"
