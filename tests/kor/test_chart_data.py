"""The charts' data reaches the page as Django's json_script would write it, only faster."""

from django.utils.html import json_script
from hypothesis import given
from hypothesis import strategies as st

from kor.templatetags.data import chart_data

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(value=json_values, element_id=st.text(min_size=1))
def test_chart_data_writes_what_json_script_writes(value, element_id):
    assert chart_data(value, element_id) == json_script(value, element_id)


def test_a_name_with_a_closing_script_tag_stays_inside_the_data():
    written = chart_data({"name": "</script><script>alert(1)</script>&"}, "chart-data")
    assert written.count("</script>") == 1
    assert "\\u003C/script\\u003E" in written and "\\u0026" in written
