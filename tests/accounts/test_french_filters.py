"""The French plural: 0 and 1 take the singular."""

import pytest
from django.template import Context, Template

from accounts.templatetags.french import pluriel


@pytest.mark.parametrize(
    ("count", "expected"), [(0, ""), (1, ""), (-1, ""), (2, "s"), (-3, "s"), (None, ""), ("x", "")]
)
def test_pluriel(count, expected):
    assert pluriel(count) == expected


def test_pluriel_in_a_template():
    template = Template("{% load french %}{{ n }} jour{{ n|pluriel }}, {{ n }} bureau{{ n|pluriel:'x' }}")
    assert template.render(Context({"n": 0})) == "0 jour, 0 bureau"
    assert template.render(Context({"n": 2})) == "2 jours, 2 bureaux"
