"""A rater is named by the label the helper typed, else by their relation, in the page's
language: the chart, the tables and the reports name them this way."""

from django.utils import translation

from clients.models import Rater


def test_a_rater_without_a_label_is_named_by_the_relation_in_the_pages_language():
    mother = Rater(relation=Rater.Relation.MOTHER)

    with translation.override("nb"):
        assert str(mother) == "mor"
    with translation.override("en"):
        assert str(mother) == "mother"
    assert str(mother) == mother.get_relation_display()


def test_a_label_names_the_rater_and_an_unknown_relation_shows_as_stored():
    assert str(Rater(relation=Rater.Relation.MOTHER, label="Mor (Oslo)")) == "Mor (Oslo)"
    assert str(Rater(relation="aunt")) == "aunt"
