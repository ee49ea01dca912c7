from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KorConfig(AppConfig):
    name = "kor"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kor.dbroles import grant_after_migrate
        from kor.security import signals  # noqa: F401  (connects the login audit)

        # After every migrate: the runtime role's rights, on every table that now exists
        # (post_migrate is sent once per app after the whole plan; `sender=self` runs it once).
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="kor_runtime_role")
