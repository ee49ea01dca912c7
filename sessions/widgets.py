"""The widgets of the rating form, rendered from templates/widgets/ (FORM_RENDERER reads the
project's templates): the markup the session view has always had, now owned by the form."""

from __future__ import annotations

from django import forms


class ScoreInput(forms.TextInput):
    """An item's number box and, beside it, its 0-10 line: static/js/session-slider.js draws the
    mark and writes into the box; without JavaScript the box alone works (the line stays hidden).
    The value is shown in the page's language (2,5 in bokmål) because the field is localized."""

    template_name = "widgets/score.html"

    def __init__(
        self, *, low: float, high: float, step: str, ends: tuple[str, str] | None = None
    ) -> None:
        super().__init__(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "item-number", "size": 4}
        )
        self.scale = {"min": f"{low:.0f}", "max": f"{high:.0f}", "step": step}
        # What the two ends of the line mean, shown under it (outside the line, so a page
        # without JavaScript shows them beside the number box too) and read out with both.
        self.ends = ends

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["scale"] = self.scale
        context["ends"] = self.ends
        return context


class ChoiceRadios(forms.RadioSelect):
    """Radio buttons as `<label class="choice"><input> text</label>`, no wrapping list: the page
    puts them in its own fieldset and legend."""

    template_name = "widgets/choices.html"
    option_template_name = "widgets/choice.html"
