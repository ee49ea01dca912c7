"""The login form: Django's, with a username length that is checked, not only announced."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# The longest username the user model stores (AbstractUser: 150).
USERNAME_MAX_LENGTH = 150


class LoginForm(AuthenticationForm):
    """Django's AuthenticationForm sets the username's max_length after the field is built, so
    only the HTML attribute changes and no validator runs: a 256-character name went on to
    authenticate(), and django-axes' insert into its varchar(255) column raised a DataError (500).
    A real validator stops it here, with a message, before any password check or axes record.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(
                USERNAME_MAX_LENGTH,
                message=_("A username is at most %(limit_value)d characters long."),
            )
        )
