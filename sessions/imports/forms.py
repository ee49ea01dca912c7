"""The upload form of an import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 25 * 1024 * 1024  # a 100,000-row sheet is about 6 MB as CSV, less as .xlsx
EXTENSIONS = (".csv", ".txt", ".xlsx")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file (.xlsx)"),
        help_text=_(
            "One row per form. Norwegian or English column names; decimal commas are fine."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: split it in parts.")
                % {"mb": MAX_BYTES // 2**20}
            )
        return upload
