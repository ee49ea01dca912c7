from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KorConfig(AppConfig):
    name = "kor"
    verbose_name = _("Organisation")
