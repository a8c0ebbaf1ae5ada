from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    verbose_name = "行政执法（主体、人员、证件、权责清单）"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check of the signing key
