"""Login security: throttling (django-axes), the second factor (django-otp TOTP), login audit."""
