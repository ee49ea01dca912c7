from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The languages to start with, named in themselves; a service adds its own as data.
STARTING_LANGUAGES = [("nb", "Norsk bokmål", 1), ("nn", "Norsk nynorsk", 2), ("en", "English", 3)]


def ensure_languages(sender, using="default", **kwargs) -> None:
    """After migrate and after a flush (which empties every table and then says post_migrate):
    a client's default language (nb) must exist for any client to be saved."""
    from clients.models import ClientLanguage

    for code, name, position in STARTING_LANGUAGES:
        ClientLanguage.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        post_migrate.connect(ensure_languages, sender=self)
