from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KorConfig(AppConfig):
    name = "kor"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from kor.security import signals  # noqa: F401  (connects the login audit)
