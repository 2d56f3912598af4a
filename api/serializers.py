"""The documented shape of every public API record, and of the JSON bulk download.

Every field reads from a publication entry's frozen public copy (``PublicationEntry.data``),
which ``public/exposure.py`` alone fills: nothing here can add a field the public pages do not
show. Field names are stable; each description gives the English and the Chinese meaning.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from public.models import EntryKind


def _d(field, help_text, **kw):
    """A field of the entry's public copy."""
    return field(source=f"data.{kw.pop('key')}" if "key" in kw else None, help_text=help_text, read_only=True, **kw)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Unit id. 单位编号")
    name = serializers.CharField(help_text="Unit name. 单位名称")


class LegalBasisSerializer(serializers.Serializer):
    law = serializers.CharField(help_text="Law or regulation. 法律法规名称")
    article = serializers.CharField(help_text="Article. 条款")
    text = serializers.CharField(help_text="Text of the article. 条文内容")


class FlowStepSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Step id, referenced by edges. 环节编号（连线引用）")
    name = serializers.CharField(help_text="Step name. 环节名称")
    handler = serializers.CharField(help_text="Handling unit or post. 承办单位/岗位")
    conditions = serializers.CharField(help_text="Conditions or standards. 办理条件/标准")
    procedure = serializers.CharField(help_text="Procedure. 办理程序")
    immediate = serializers.BooleanField(help_text="Done on the spot. 当场办结")
    days = serializers.IntegerField(allow_null=True, help_text="Statutory time limit, working days. 法定时限（工作日）")
    time_limit = serializers.CharField(help_text="Statutory time limit as shown. 法定时限（显示文字）")
    promised_days = serializers.IntegerField(allow_null=True, help_text="Promised time limit, working days. 承诺时限（工作日）")
    promised_time_limit = serializers.CharField(allow_null=True, help_text="Promised time limit as shown. 承诺时限（显示文字）")
    party_rights = serializers.CharField(allow_null=True, help_text="Rights of the party. 相对人权利")
    supervision = serializers.CharField(help_text="Supervision channel. 监督渠道")


class FlowEdgeSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="Step id the edge leaves. 起始环节编号")
    target = serializers.IntegerField(help_text="Step id the edge reaches. 目标环节编号")
    label = serializers.CharField(help_text="Branch condition. 分支条件")


class FlowSerializer(serializers.Serializer):
    steps = FlowStepSerializer(many=True, help_text="Steps of the process flow. 权力运行流程环节")
    edges = FlowEdgeSerializer(many=True, help_text="Edges between steps. 环节之间的连线")


class BenchmarkSerializer(serializers.Serializer):
    circumstance = serializers.CharField(help_text="Violation circumstance. 违法情形")
    degree = serializers.CharField(help_text="Degree key. 违法程度代码")
    degree_label = serializers.CharField(help_text="Degree as shown. 违法程度")
    conditions = serializers.CharField(help_text="Conditions that place a case at this degree. 适用条件")
    penalty = serializers.CharField(help_text="Penalty and its range. 处罚种类和幅度")
    fine_basis = serializers.CharField(help_text="How the fine is counted: amount, percent or none. 罚款计算方式代码")
    fine_basis_label = serializers.CharField(help_text="How the fine is counted, as shown. 罚款计算方式")
    fine_min = serializers.CharField(allow_null=True, help_text="Lowest fine (yuan, or percent). 罚款下限（元或百分比）")
    fine_max = serializers.CharField(allow_null=True, help_text="Highest fine (yuan, or percent). 罚款上限（元或百分比）")
    legal_basis = serializers.CharField(help_text="Basis of the benchmark. 裁量依据")


class MeasureSerializer(serializers.Serializer):
    kind_label = serializers.CharField(help_text="Kind of measure. 措施类型")
    content = serializers.CharField(help_text="What is done. 措施内容")
    due_date = serializers.CharField(help_text="Due date (ISO 8601). 完成期限")


class LinksSerializer(serializers.Serializer):
    api = serializers.CharField(help_text="This record in the API. 本条记录的接口地址")
    html = serializers.CharField(help_text="This record on the public site. 本条记录在公示网站上的页面")


def entry_links(request, entry):
    """Where ``entry`` lives in the API and on the public site (absolute with a request)."""
    name = "power" if entry.kind == EntryKind.POWER else "risk"
    api, html = reverse(f"api:{name}", args=[entry.code]), reverse(f"public:{name}", args=[entry.code])
    if request is not None:
        api, html = request.build_absolute_uri(api), request.build_absolute_uri(html)
    return {"api": api, "html": html}


class EntrySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Code, stable across publications. 编码（各期公示中不变）")
    unit = UnitRefSerializer(read_only=True, help_text="Unit exercising the power or owning the risk. 所属单位")
    publication = serializers.IntegerField(source="publication_id", read_only=True,
                                           help_text="Publication this copy belongs to. 所属公示编号")
    revision = serializers.IntegerField(read_only=True, help_text="Published revision of the item. 事项的公布版本号")
    links = serializers.SerializerMethodField(help_text="Links. 链接")

    @extend_schema_field(LinksSerializer)
    def get_links(self, entry):
        return entry_links(self.context.get("request"), entry)


class PowerSerializer(EntrySerializer):
    category = _d(serializers.CharField, "Category key (penalty, permit, …). 职权类别代码", key="category")
    category_label = _d(serializers.CharField, "Category. 职权类别", key="category_label")
    name = _d(serializers.CharField, "Name. 职权名称", key="name")
    sub_item = _d(serializers.CharField, "Sub-item. 子项名称", key="sub_item")
    content = _d(serializers.CharField, "Content. 职权内容", key="content")
    has_discretion = _d(serializers.BooleanField, "Carries discretion. 是否有自由裁量权", key="has_discretion")
    legal_body = _d(serializers.CharField, "Legal body. 实施主体", key="legal_body")
    handling_body = _d(serializers.CharField, "Handling body. 承办机构", key="handling_body")
    duties = _d(serializers.CharField, "Duties per stage. 责任事项", key="duties")
    accountability = _d(serializers.CharField, "Accountability cases. 追责情形", key="accountability")
    statutory_days = _d(serializers.IntegerField, "Statutory time limit, working days. 法定时限（工作日）",
                        key="statutory_days", allow_null=True)
    promised_days = _d(serializers.IntegerField, "Promised time limit, working days. 承诺时限（工作日）",
                       key="promised_days", allow_null=True)
    charges_fee = _d(serializers.BooleanField, "Charges a fee. 是否收费", key="charges_fee")
    fee_basis = _d(serializers.CharField, "Fee basis and rate. 收费依据和标准", key="fee_basis")
    supervision_phone = _d(serializers.CharField, "Supervision phone. 监督电话", key="supervision_phone")
    remarks = _d(serializers.CharField, "Remarks. 备注", key="remarks")
    posts = serializers.ListField(child=serializers.CharField(), source="data.posts", read_only=True,
                                  help_text="Responsible posts. 承办岗位")
    legal_bases = LegalBasisSerializer(many=True, source="data.legal_bases", read_only=True, help_text="Legal bases. 法律依据")
    flow = FlowSerializer(source="data.flow", read_only=True, help_text="Process flow. 权力运行流程图")
    benchmark = BenchmarkSerializer(many=True, source="data.benchmark", read_only=True, default=list,
                                    help_text="Discretion benchmark, as published with the power. 裁量基准（随职权公布）")


class PowerRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code of the power. 职权编码")
    name = serializers.CharField(help_text="Name of the power. 职权名称")
    api = serializers.CharField(allow_null=True, help_text="The power in the API while it is public, else null. "
                                                          "职权在接口中的地址（未公示时为空）")


class RiskSerializer(EntrySerializer):
    year = _d(serializers.IntegerField, "Year of the register. 年度", key="year")
    title = _d(serializers.CharField, "Risk point. 风险点", key="title")
    description = _d(serializers.CharField, "How the risk shows itself. 风险表现形式", key="description")
    kind = _d(serializers.CharField, "Kind of risk. 风险类型", key="kind")
    level = _d(serializers.IntegerField, "Level: 1 high, 2 medium, 3 low. 风险等级（1 一级 / 2 二级 / 3 三级）", key="level")
    level_label = _d(serializers.CharField, "Level as shown. 风险等级（显示文字）", key="level_label")
    finding_level = _d(serializers.CharField, "Found at post, department or unit level. 查找层面", key="finding_level")
    post = _d(serializers.CharField, "Post (岗位) the risk sits on. 岗位", key="post")
    step = _d(serializers.CharField, "Step of the power's flow. 流程环节", key="step")
    power = serializers.SerializerMethodField(help_text="The power the risk sits on. 涉及职权")
    measures = MeasureSerializer(many=True, source="data.measures", read_only=True, help_text="Control measures. 防控措施")

    @extend_schema_field(PowerRefSerializer(allow_null=True))
    def get_power(self, entry):
        power = entry.data.get("power")
        if not power:
            return None
        public = self.context.get("public_powers", set())
        api = None
        if power["code"] in public:
            api = reverse("api:power", args=[power["code"]])
            request = self.context.get("request")
            api = request.build_absolute_uri(api) if request is not None else api
        return {"code": power["code"], "name": power["name"], "api": api}


SERIALIZERS = {EntryKind.POWER: PowerSerializer, EntryKind.RISK: RiskSerializer}


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Publication id. 公示编号")
    title = serializers.CharField(read_only=True, help_text="Title. 标题")
    state = serializers.CharField(read_only=True, help_text="published, withdrawn or superseded. 状态：已发布、已撤回、已更新")
    current = serializers.BooleanField(read_only=True, help_text="Shown on the public site now. 是否正在公示")
    starts_on = serializers.DateField(read_only=True, help_text="First day. 公示开始")
    ends_on = serializers.DateField(read_only=True, allow_null=True, help_text="Last day, null if open-ended. 公示结束（长期为空）")
    published_at = serializers.DateTimeField(read_only=True, help_text="Released at. 发布时间")
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Withdrawn at. 撤回时间")
    previous = serializers.IntegerField(source="previous_id", read_only=True, allow_null=True,
                                        help_text="The version this one replaced. 上一版本编号")
    covers_all_units = serializers.BooleanField(source="all_units", read_only=True, help_text="Covers the whole bureau. 全局所有单位")
    units = serializers.SerializerMethodField(help_text="Units it covers. 公示范围（单位）")
    counts = serializers.SerializerMethodField(help_text="Powers and risk points it holds. 职权和风险点的数量")
    links = serializers.SerializerMethodField(help_text="Its contents and downloads while current. 公示期内的内容与下载地址")

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_units(self, pub):
        units = [pub.bureau] if pub.all_units else pub.units.all()
        return [{"id": u.pk, "name": u.name} for u in units]

    @extend_schema_field({"type": "object", "properties": {"powers": {"type": "integer"}, "risks": {"type": "integer"}}})
    def get_counts(self, pub):
        return self.context["counts"][pub.pk]

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "powers": {"type": "string"}, "risks": {"type": "string"}, "html": {"type": "string"},
        "downloads": {"type": "object", "additionalProperties": {"type": "string"},
                      "description": "Bulk files by name, manifest.json first; empty while being built. "
                                     "批量下载文件（生成完成前为空）"}}})
    def get_links(self, pub):
        if not pub.current:
            return None
        request = self.context.get("request")
        absolute = (lambda url: request.build_absolute_uri(url)) if request is not None else (lambda url: url)
        download = getattr(pub, "download", None)
        names = ["manifest.json", *(f.name for f in download.files.all())] if download and download.state == "ready" else []
        return {"powers": absolute(reverse("api:publication_powers", args=[pub.pk])),
                "risks": absolute(reverse("api:publication_risks", args=[pub.pk])),
                "html": absolute(reverse("public:publication", args=[pub.pk])),
                "downloads": {name: absolute(reverse("api:download", args=[pub.pk, name])) for name in names}}
