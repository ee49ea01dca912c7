"""Intake in the app: birth year or age group, the client's language (as data), consent to the
feedback forms, the intake form's token, and the organisation's case code sequence."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The languages to start with, named in themselves; a service adds its own as data.
LANGUAGES = [("nb", "Norsk bokmål", 1), ("nn", "Norsk nynorsk", 2), ("en", "English", 3)]


def add_languages(apps, schema_editor):
    ClientLanguage = apps.get_model("clients", "ClientLanguage")
    for code, name, position in LANGUAGES:
        ClientLanguage.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_episode_end"),
        ("kor", "0004_case_code_pattern"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClientLanguage",
            fields=[
                (
                    "code",
                    models.CharField(
                        max_length=8, primary_key=True, serialize=False, verbose_name="code"
                    ),
                ),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "verbose_name": "language",
                "verbose_name_plural": "languages",
                "ordering": ["position", "name"],
            },
        ),
        # Before the clients get a language (default nb), the languages must exist.
        migrations.RunPython(add_languages, migrations.RunPython.noop),
        migrations.AddField(
            model_name="client",
            name="age_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("adult", "adult (18+)"),
                    ("adolescent", "adolescent (13–17)"),
                    ("child", "child (6–12)"),
                    ("young_child", "young child (5 and under)"),
                ],
                help_text="Only when the birth year is not known.",
                max_length=12,
                verbose_name="age group",
            ),
        ),
        migrations.AddField(
            model_name="client",
            name="forms_consent",
            field=models.CharField(
                choices=[("yes", "yes"), ("no", "no"), ("not_asked", "not asked")],
                default="not_asked",
                max_length=10,
                verbose_name="consent to feedback forms",
            ),
        ),
        migrations.AddField(
            model_name="client",
            name="forms_consent_on",
            field=models.DateField(blank=True, null=True, verbose_name="consent recorded on"),
        ),
        migrations.AddField(
            model_name="client",
            name="intake_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="client",
            name="birth_year",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="birth year"
            ),
        ),
        migrations.CreateModel(
            name="CaseCodeSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(default=0)),
                ("last", models.PositiveIntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kor.organisation",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="client",
            name="language",
            field=models.ForeignKey(
                default="nb",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.clientlanguage",
                verbose_name="the client's language",
            ),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("birth_year__isnull", False),
                    models.Q(("age_group", ""), _negated=True),
                    _connector="OR",
                ),
                name="client_birth_year_or_age_group",
            ),
        ),
        migrations.AddConstraint(
            model_name="casecodesequence",
            constraint=models.UniqueConstraint(
                fields=("organisation", "year"), name="one_case_code_sequence_per_year"
            ),
        ),
    ]
