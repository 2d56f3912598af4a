"""What the internal API shows of each record: a staff member's view of their unit's items, as
the pages show it, with what stays inside the bureau left out.

- A filing (重点权力运行事项备案) without its party (当事人), who is the bureau's to know.
- A warning's state only: never the person warned, the reason, the requirement or the
  information it rests on (``monitoring.visibility`` keeps those to the people concerned).
"""

from rest_framework import serializers

from controls.models import Measure
from monitoring.models import RiskWarning
from powers.models import PowerItem
from riskpoints.models import RiskPoint
from supervision.models import Filing, FilingStep, Finding


class InternalUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Unit id. 单位编号")
    name = serializers.CharField(help_text="Unit name. 单位名称")


class InternalPowerSerializer(serializers.ModelSerializer):
    unit = InternalUnitSerializer(read_only=True, help_text="Exercising unit. 行使单位")
    status_label = serializers.CharField(source="get_status_display", help_text="Review state. 审核状态")
    published = serializers.BooleanField(source="published_record_id", help_text="Has a published revision. 是否已公布")

    class Meta:
        model = PowerItem
        fields = ["code", "name", "sub_item", "category", "unit", "status", "status_label", "revision", "published"]


class InternalMeasureSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", help_text="State. 落实情况")

    class Meta:
        model = Measure
        fields = ["kind", "content", "due_date", "state", "state_label"]


class InternalRiskSerializer(serializers.ModelSerializer):
    unit = InternalUnitSerializer(read_only=True, help_text="Unit. 单位")
    post = serializers.CharField(source="post.name", default="", help_text="Post. 岗位")
    power = serializers.CharField(source="power.code", default=None, help_text="Power code. 职权编码")
    year = serializers.IntegerField(source="round.year", help_text="Year of the register. 年度")
    status_label = serializers.CharField(source="get_status_display", help_text="Review state. 审核状态")
    measures = InternalMeasureSerializer(source="plan.measures", many=True, default=[], read_only=True,
                                         help_text="Control measures and their state. 防控措施及落实情况")

    class Meta:
        model = RiskPoint
        fields = ["code", "year", "title", "level", "unit", "post", "power", "status", "status_label", "revision", "measures"]


class InternalFilingStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = FilingStep
        fields = ["step_id", "name", "done_on"]
        extra_kwargs = {"step_id": {"help_text": "Step id in the published flow. 流程环节编号"},
                        "name": {"help_text": "Step. 环节"}, "done_on": {"help_text": "Done on. 办理日期"}}


class InternalFindingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", help_text="Finding as shown. 问题（显示文字）")
    light = serializers.CharField(help_text="red or yellow. 红牌或黄牌")

    class Meta:
        model = Finding
        fields = ["kind", "kind_label", "light", "step_id", "step_name", "message", "found_on", "resolved_on"]


class InternalFilingSerializer(serializers.ModelSerializer):
    power = serializers.CharField(source="power.code", help_text="Power code. 职权编码")
    power_name = serializers.CharField(source="power.name", help_text="Power. 职权名称")
    unit = InternalUnitSerializer(read_only=True, help_text="Handling unit. 承办单位")
    degree = serializers.CharField(source="degree_code", help_text="Degree key, as published. 违法程度代码")
    degree_label = serializers.CharField(help_text="Degree as published with the benchmark. 违法程度（显示文字，以备案时已公布的为准）")
    light_label = serializers.CharField(source="get_light_display", help_text="Result of the checks. 监察结果")
    steps = InternalFilingStepSerializer(many=True, read_only=True, help_text="Dates of the flow's steps. 各环节办理日期")
    findings = InternalFindingSerializer(many=True, read_only=True, help_text="Deviations found. 监察发现")

    class Meta:
        model = Filing
        fields = ["id", "case_number", "power", "power_name", "unit", "opened_on", "closed_on", "decision",
                  "circumstance", "degree", "degree_label", "stated_conditions", "base_amount", "fine_amount",
                  "light", "light_label", "steps", "findings", "created_at"]


class InternalWarningSerializer(serializers.ModelSerializer):
    unit = InternalUnitSerializer(read_only=True, help_text="Unit warned, or the unit of the person warned. 所在单位")
    target_label = serializers.CharField(source="get_target_display", help_text="A person or a unit. 预警对象类型")
    method_label = serializers.CharField(source="get_method_display", help_text="Method. 处置方式")
    nature_label = serializers.CharField(source="get_nature_display", help_text="Nature. 问题性质")
    state_label = serializers.CharField(source="get_state_display", help_text="State. 状态")
    overdue = serializers.BooleanField(help_text="A rectification past its deadline. 限期整改是否逾期")
    acknowledged = serializers.SerializerMethodField(help_text="Receipt acknowledged. 是否已签收")

    class Meta:
        model = RiskWarning
        fields = ["id", "number", "unit", "target", "target_label", "method", "method_label", "nature", "nature_label",
                  "issued_on", "deadline", "overdue", "state", "state_label", "acknowledged", "acknowledged_at",
                  "closed_at"]

    def get_acknowledged(self, warning) -> bool:
        return warning.acknowledged_at is not None
