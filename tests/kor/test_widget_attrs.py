"""Our copies of Django's input, select and option templates write Django's markup.

They only replace the included attrs.html with a filter (kor/templatetags/widget_attrs.py), to
draw the many inputs of a meeting page faster; every widget must come out as Django writes it.
"""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.safestring import mark_safe


class OtherOptions(forms.Select):
    """A select whose options come from another template: ours writes Django's own options
    in place and includes any other option template, as Django's select.html does."""

    option_template_name = "django/forms/widgets/radio_option.html"


class EveryKind(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(attrs={"size": 4, "class": 'a"b<c', "title": mark_safe("a&b")})
    )
    number = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "0.1", "required": True}))
    hidden = forms.CharField(widget=forms.HiddenInput(attrs={"data-x": None, "disabled": False}))
    day = forms.DateField(widget=forms.DateInput(attrs={"autofocus": True}))
    ticked = forms.BooleanField(required=False)
    choice = forms.ChoiceField(
        choices=[("", "Choose"), ("a", "A & B"), ("b", "<b>")],
        widget=forms.Select(attrs={"aria-describedby": "x-error"}),
    )
    grouped = forms.ChoiceField(choices=[("G", [("1", "one"), ("2", "two")]), ("3", "three")])
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")])
    other = forms.ChoiceField(choices=[("1", "one"), ("2", "two")], widget=OtherOptions)
    words = forms.CharField(widget=forms.Textarea)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'x" y',
            "number": "2,5",
            "hidden": "h",
            "day": "2026-12-03",
            "ticked": "on",
            "choice": "a",
            "grouped": "2",
            "many": ["1", "2"],
            "other": "2",
            "words": "<script>",
        },
    ],
)
def test_our_widget_templates_write_what_djangos_write(data):
    ours = EveryKind(data, initial={"day": datetime.date(2026, 1, 2)}, renderer=TemplatesSetting())
    djangos = EveryKind(
        data, initial={"day": datetime.date(2026, 1, 2)}, renderer=DjangoTemplates()
    )
    for name in EveryKind.base_fields:
        assert str(ours[name]) == str(djangos[name]), name


def test_the_app_draws_its_forms_with_our_copies():
    for name in ("input", "select", "select_option", "attrs"):
        path = f"django/forms/widgets/{name}.html"
        assert "site-packages" not in TemplatesSetting().get_template(path).origin.name
        assert "site-packages" in DjangoTemplates().get_template(path).origin.name


def test_our_radios_and_score_box_write_their_inputs_as_the_input_template_does():
    """widgets/choices.html and widgets/score.html write their <input>s in place rather than
    including a template per input; what comes out is what the includes wrote."""
    from django.template.loader import render_to_string

    from sessions.widgets import ChoiceRadios, ScoreInput

    radios = ChoiceRadios(choices=[("completed", "fylt ut"), ("declined", 'av"slått')])
    written = radios.render("r1-ORS-status", "declined", attrs={"id": "id_status"})
    groups = radios.get_context("r1-ORS-status", "declined", {"id": "id_status"})["widget"]
    options = [option for _, group, _ in groups["optgroups"] for option in group]
    included = "".join(
        "\n      " + render_to_string("widgets/choice.html", {"widget": option})
        for option in options
    )
    assert written == included.strip()  # Django's renderer strips what a widget writes
    assert "checked" in written and "av&quot;slått" in written

    score = ScoreInput(low=0, high=10, step="0.1", ends=("Svært dårlig", "Svært bra"))
    context = score.get_context("r1-ORS-item1", "2,5", {"id": "id_item1"})
    written = score.render("r1-ORS-item1", "2,5", attrs={"id": "id_item1"})
    assert render_to_string("django/forms/widgets/input.html", context) in written
    assert 'value="2,5"' in written
