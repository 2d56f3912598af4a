from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

_LABELS = {}  # {field: {value: its (lazy) label}}, for ``ChoiceDisplay``


class ChoiceDisplay:
    """A model mixin: ``get_FOO_display`` reads a table of the field's labels made once per
    field. Django's builds that table on every call, hashing each lazy label (a translation
    lookup apiece): a list page of 25 rows with two choice columns spent 8 ms there. The label
    is still translated on each call, in the language of the request. For fields whose
    ``choices`` are fixed (none here are callables)."""

    def _get_FIELD_display(self, field):
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("局")
    SECTION = "section", _("机关科室")
    DIRECT = "direct", _("局属单位")
    BRIGADE = "brigade", _("执法大队")
    SQUAD = "squad", _("中队")


class PostTier(models.TextChoices):
    LEADERSHIP = "leadership", _("领导岗位")
    MIDDLE = "middle", _("中层岗位")
    KEY = "key", _("其他重要岗位")


class Role(models.TextChoices):
    """A role is a Django group of this name; a user may hold several."""

    STAFF = "staff", _("科室/单位工作人员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    LEADER = "leader", _("分管领导")
    OFFICE = "office", _("防控办")
    LEADERSHIP = "leadership", _("局领导")
    ADMIN = "admin", _("系统管理员")
    EXPERT = "expert", _("评审专家")
