"""How apps above powers style a flowchart's steps without powers knowing about them.

A styler is ``styler(power, user) -> {step id: {"marker": colour, "title": text, "href": url}}``;
the flowchart pages merge what every registered styler returns.
"""

_stylers = []
_legend = []


def add_step_styler(styler, legend=()):
    """``legend``: (colour, label) pairs explaining the styler's markers under the drawing."""
    if styler not in _stylers:
        _stylers.append(styler)
        _legend.extend(legend)


def step_legend():
    return list(_legend)


def step_styles(power, user):
    styles = {}
    for styler in _stylers:
        for step_id, style in styler(power, user).items():
            styles.setdefault(step_id, {}).update(style)
    return styles


# Sections a higher app adds to a power's page: ``section(power, user)`` returns a dict with the
# ``template`` to include (and whatever else it reads), or None.
_sections = []


def add_detail_section(section):
    if section not in _sections:
        _sections.append(section)


def detail_sections(power, user):
    return [shown for shown in (section(power, user) for section in _sections) if shown]
