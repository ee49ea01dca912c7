"""The chosen decline reason gets a field of its own, apart from the helper's words.

Before, a chosen reason and typed words were stored as one text, "<reason>: <words>", in the
language of the page that saved it, and a chosen reason alone as its label. The data step splits
those back where the text starts with one of the labels of the time (bokmål or English); anything
else was typed under "other" and stays as the words, with the code "other".
"""

from django.db import migrations, models

# The reason labels as they were saved before this migration (frozen here on purpose: the app's
# labels now name the rater and may change again).
OLD_LABELS = {
    "did_not_want": ("The client did not want to", "Klienten ville ikke"),
    "too_distressed": ("Too distressed today", "For urolig eller belastet i dag"),
    "language": ("Language or reading difficulties", "Språk- eller lesevansker"),
    "does_not_fit": ("The form does not fit this client", "Skjemaet passer ikke for denne klienten"),
    "no_time": ("No time in this meeting", "Ikke tid i dette møtet"),
}


def split_reason(combined: str) -> tuple[str, str]:
    """(code, words) of an old combined reason."""
    text = combined.strip()
    for code, labels in OLD_LABELS.items():
        for label in labels:
            if text == label:
                return code, ""
            if text.startswith(label + ":"):
                return code, text[len(label) + 1 :].strip()
    return "other", text


def forwards(apps, schema_editor):
    FormResponse = apps.get_model("therapy_sessions", "FormResponse")
    rows = FormResponse.objects.exclude(declined_reason="").filter(declined_reason_code="")
    for response in rows.only("pk", "declined_reason").iterator():
        code, words = split_reason(response.declined_reason)
        FormResponse.objects.filter(pk=response.pk).update(
            declined_reason_code=code, declined_reason=words
        )


def backwards(apps, schema_editor):
    FormResponse = apps.get_model("therapy_sessions", "FormResponse")
    for response in FormResponse.objects.exclude(declined_reason_code="").iterator():
        label = OLD_LABELS.get(response.declined_reason_code, ("", ""))[1]
        combined = ": ".join(part for part in (label, response.declined_reason) if part)
        FormResponse.objects.filter(pk=response.pk).update(declined_reason=combined[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("therapy_sessions", "0003_withdrawn_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="formresponse",
            name="declined_reason_code",
            field=models.CharField(
                blank=True, db_default="", max_length=20, verbose_name="reason chosen"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
