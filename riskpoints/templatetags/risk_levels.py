"""Level colours for pages that hold a level but not a risk point (public entries, fragments):
read from the one home, ``riskpoints.choices.LEVEL_COLOURS``."""

from django import template

from ..choices import LEVEL_COLOURS

register = template.Library()


@register.filter
def level_colour(level):
    """Bootstrap colour name of ``level`` (1, 2, 3 or their strings); ``secondary`` otherwise."""
    try:
        return LEVEL_COLOURS[int(level)][0]
    except (KeyError, TypeError, ValueError):
        return "secondary"
