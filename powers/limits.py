"""The rule between a statutory time limit (法定时限) and a promised one (承诺时限), said once.

A power and each step of its flow carry both, in working days. A promise longer than the law
allows is no promise: it is refused (the forms say so, and a database constraint holds it).
The bureau's catalogue rules (P8 in the domain notes) ask the promised limit to be at least a
third shorter than the statutory one; that is advice the page shows, not a refusal, because a
few statutory limits are already so short (1–2 working days) that a third less is not a day.
"""

from django.utils.translation import gettext as _


def days_label(days):
    """``12`` → "12 个工作日"; ``None`` → ""."""
    return "" if days is None else _("%(n)d 个工作日") % {"n": days}


def limit_errors(*, statutory, promised):
    """What makes the pair impossible: a promise beyond the statutory limit."""
    if statutory is not None and promised is not None and promised > statutory:
        return [_("承诺时限（%(p)d 个工作日）不能超过法定时限（%(s)d 个工作日）。") % {"p": promised, "s": statutory}]
    return []


def promise_cap(statutory):
    """The longest promise that cuts ``statutory`` by at least a third; ``None`` when there is
    no statutory limit or it is one day (which cannot be cut by a third of a day)."""
    return statutory * 2 // 3 if statutory is not None and statutory >= 2 else None


def promise_too_long(*, statutory, promised):
    cap = promise_cap(statutory)
    return cap is not None and promised is not None and cap < promised <= statutory


def limit_warnings(*, statutory, promised):
    """Advice on a possible pair: the promise should cut the statutory limit by at least a third."""
    if promise_too_long(statutory=statutory, promised=promised):
        return [_("承诺时限（%(p)d 个工作日）宜比法定时限（%(s)d 个工作日）至少缩短三分之一，即不超过 %(max)d 个工作日。") % {
            "p": promised, "s": statutory, "max": promise_cap(statutory)}]
    return []
