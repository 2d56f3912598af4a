"""The demo bureau's risk information, assessments, tasks, warnings and level adjustments: every
channel, every assessment state, every warning method (some overdue, some closed), through the
same services the pages use."""

import datetime

from django.utils import timezone

from demo.files import demo_pdf
from monitoring import handling
from monitoring.choices import Channel, Credibility, Method, Nature, Outcome, TaskKind, Verdict
from monitoring.models import InformationFile, RiskInformation, RiskWarning
from monitoring.services import config_save, information_record
from org.files import files_store
from review.choices import Status
from riskpoints.models import RiskPoint

# (channel, unit, content, source reference, what the office decided)
INFORMATION = [
    (Channel.PETITION, "GHDD", "群众来信反映：规划执法大队队员在查处某小区违建时，对部分业主“打招呼”后未予立案，仅口头责令整改。", "信〔2026〕017号", "rectify"),
    (Channel.EVALUATION, "ZTDD", "政风行风评议中，运输企业反映渣土运输核准办理时间长，个别窗口人员暗示找“中介”可加快。", "评议汇总第3期", "task"),
    (Channel.EFFICIENCY, "SPK", "效能检查发现：行政审批科3件户外广告设置许可超过承诺时限办结，未说明延期理由。", "效能〔2026〕5号", "observe"),
    (Channel.CASE, "DCDD", "案件查处中发现：东城区执法大队一名队员在占道经营处罚中多次适用最低罚款额，理由不充分。", "案〔2026〕东城042", "warn"),
    (Channel.AUDIT, "CWK", "责任审计指出：计财科罚没款收缴存在延迟入账，最长滞留27天。", "审〔2026〕2号", "adjust"),
    (Channel.DEMOCRATIC_MEETING, "ZSDD", "民主生活会上，有同志提出直属大队夜查任务派单不透明，存在“人情派单”的苗头。", "", "life"),
    (Channel.REPORT, "GGDD", "分管领导述职述廉时提到：户外广告大队对大型广告牌的复查依赖个人经验，缺少书面记录。", "", "new"),
    (Channel.SURVEY, "SRK", "问卷调查：31%的受访商户认为市容环卫检查“标准不一、因人而异”。", "问卷〔2026〕1期", "reject"),
    (Channel.VISIT, "YLZD", "走访服务对象时，一家绿化养护企业反映验收人员要求提供“样品”。", "", "heart"),
    (Channel.INSPECTION, "ZHZX", "监督检查发现：指挥中心派遣记录可被人工修改且不留痕迹。", "督〔2026〕8号", "new"),
    (Channel.CADRE_REVIEW, "BGS", "干部考核中，个别同志反映办公室公务接待审批“先吃后批”。", "", "criticism"),
    (Channel.OPINION_ONLINE, "ZTDD", "网络舆情：本地论坛帖子称渣土车“罚了就放、不罚就扣”，阅读量1.2万。", "舆情日报第112期", "new"),
    (Channel.SELF_INSPECTION, "TSZX", "投诉受理中心自查：部分投诉件转办后未回访即办结。", "自查表第2项", "observe"),
    (Channel.PUBLIC, "GHDD", "【廉政风险点】公示网站留言：建议公开违建拆除后的复查结果。", "", "new"),
    (Channel.PETITION, "ZTDD", "匿名举报：渣土管理大队某中队长在夜查中对特定车队“放行”。", "信〔2026〕031号", "admonition"),
    (Channel.CASE, "GGDD", "案件查处：一起违规设置户外广告案件中，执法人员与当事人存在亲属关系未回避。", "案〔2026〕广告009", "petition_talk"),
]


def seed_monitoring(units, users):
    if RiskInformation.objects.exists():
        return 0
    office = users["office"]
    config_save(actor=office, prefix="城执")
    today = timezone.localdate()
    created = 0
    for index, (channel, code, content, source, outcome) in enumerate(INFORMATION):
        unit = units[code]
        info = information_record(
            bureau=units["JU"], channel=channel, content=content, source_reference=source,
            recorded_by=None if channel == Channel.PUBLIC else office, concerns_unit=unit,
            received_on=today - datetime.timedelta(days=60 - index * 3),
            credibility=[Credibility.HIGH, Credibility.MEDIUM, Credibility.UNVERIFIED][index % 3],
            reporter="" if channel == Channel.PUBLIC else ("匿名" if index % 2 else "李先生"),
            contact="" if index % 2 else "139****2211")
        if index == 0:
            files_store(InformationFile, "information", info, office, [demo_pdf("来信扫描件.pdf")])
        _handle(info, outcome, unit, units, users, today)
        created += 1
    _adjust(units, users)
    return created


def _head(unit, users):
    return users[f"{unit.code.lower()}_head"]


def _staff(unit, users):
    return users[f"{unit.code.lower()}_staff"]


def _leader(unit, users):
    from demo.data import org as org_data

    for username, _name, _title, oversees in org_data.LEADERS:
        if unit.code in oversees:
            return users[username]
    return users["director"]


def _handle(info, outcome, unit, units, users, today):
    office = users["office"]
    if outcome == "new":
        return
    if outcome in ("reject", "observe"):
        handling.assess(info=info, actor=office, outcome=Outcome.REJECT if outcome == "reject" else Outcome.OBSERVE,
                        reasoning={"reject": "经核查，检查标准已统一印发，反映情况与事实不符，不予采信。",
                                   "observe": "情况属实但属个别现象，存档观察，下季度研判时再行评估。"}[outcome])
        return
    if outcome == "task":
        handling.task_assign(info=info, actor=office, unit=unit, kind=TaskKind.NEW_RISK,
                             instruction="查找渣土运输核准环节的“中介”风险，登记风险点并制定一对一防控措施。",
                             due_date=today + datetime.timedelta(days=20),
                             reasoning="反映集中、可信度一般，须由单位查找风险并制定防范措施。")
        return
    if outcome == "adjust":
        risk = RiskPoint.objects.filter(unit=unit, level__gt=1).first() or RiskPoint.objects.filter(level__gt=1).first()
        if risk is not None:
            handling.adjust_request(risk=risk, actor=office, to_level=max(1, risk.level - 1), information=info,
                                    reason="责任审计指出罚没款滞留，风险发生概率高于原评估，督促提高等级。")
        return
    person_methods = {"warn": Method.CRITICISM, "heart": Method.HEART_TALK, "criticism": Method.CRITICISM,
                      "admonition": Method.ADMONITION, "petition_talk": Method.PETITION_TALK}
    reasoning = "反映问题具体、可信度较高，按管理权限作出预警处置。"
    if outcome in person_methods:
        method = person_methods[outcome]
        warning = handling.warning_issue(
            actor=office, method=method, nature=Nature.SIGN if outcome != "admonition" else Nature.TREND,
            person=_staff(unit, users), reason=info.content, information=[info], reasoning=reasoning)
        _carry_on(warning, users, closed=outcome in ("heart", "criticism"))
        return
    method = {"rectify": Method.RECTIFY, "life": Method.LIFE_MEETING}[outcome]
    warning = handling.warning_issue(
        actor=office, method=method, nature=Nature.TREND, unit=unit, reason=info.content, information=[info],
        reasoning=reasoning, deadline=today + datetime.timedelta(days=30) if method == Method.RECTIFY else None,
        requirement="对近一年违建查处案件逐件复核，建立立案审批台账，30日内报送整改报告。" if method == Method.RECTIFY else "")
    if method == Method.RECTIFY:
        head = _head(unit, users)
        handling.warning_acknowledge(warning=warning, actor=head)
        report = handling.report_submit(warning=warning, actor=head, content="已复核案件46件，补立案3件，建立立案审批台账。",
                                        uploads=[demo_pdf("整改台账.pdf")])
        handling.report_verify(report=report, actor=office, verdict=Verdict.RETURNED,
                               comment="未说明对相关责任人的处理情况，请补充后重报。")
    else:
        _carry_on(warning, users, closed=False)
    # A second 限期整改, already past its deadline, and a third one closed; plus a 对责任领导诫勉谈话.
    if method == Method.RECTIFY:
        late = handling.warning_issue(
            actor=office, method=Method.RECTIFY, nature=Nature.SIGN, unit=units["ZTDD"],
            reason="渣土车辆夜查记录缺失，抽查10个夜班有4个无记录。", requirement="补齐夜查记录制度，落实双人签字。",
            deadline=today + datetime.timedelta(days=1))
        RiskWarning.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=5),
                                                      issued_on=today - datetime.timedelta(days=35))
        done = handling.warning_issue(
            actor=office, method=Method.RECTIFY, nature=Nature.SIGN, unit=units["SPK"],
            reason="审批档案归档不及时。", requirement="30日内完成全部归档并建立归档时限提醒。",
            deadline=today + datetime.timedelta(days=10))
        head = _head(units["SPK"], users)
        handling.warning_acknowledge(warning=done, actor=head)
        report = handling.report_submit(warning=done, actor=head, content="已归档审批档案212卷，建立归档提醒。",
                                        uploads=[demo_pdf("归档清单.pdf")])
        handling.report_verify(report=report, actor=office, verdict=Verdict.ACCEPTED, comment="整改到位。")
        leader = handling.warning_issue(
            actor=users["director"], method=Method.LEADER_ADMONITION, nature=Nature.TREND, unit=units["GHDD"],
            reason="规划执法大队连续两个季度出现“打招呼”不立案的反映，分管领导履行主体责任不到位。")
        _carry_on(leader, users, closed=False)


def _carry_on(warning, users, *, closed):
    """Acknowledge, record the talk or meeting, and close when asked."""
    receiver = handling.warning_receivers(warning)[0]
    handling.warning_acknowledge(warning=warning, actor=receiver)
    handler = warning.issued_by
    if warning.method in handling.RECORDED_METHODS:
        handling.warning_record_save(warning=warning, actor=handler, data={
            "held_at": timezone.now() - datetime.timedelta(days=2), "place": "局廉政谈话室",
            "participants": f"{handler.display_name}、{receiver.display_name}、防控办记录人",
            "content": "指出反映的问题及其风险，提醒严格执行裁量基准和回避制度。",
            "statement": "接受组织提醒，今后严格依法办案，主动报告应回避的情形。"})
    if closed:
        handling.warning_close(warning=warning, actor=handler, note="已谈话提醒，本人认识到位，予以办结。")


def _adjust(units, users):
    """A direct adjustment of a published risk point (it waits, accepted, to be published again)."""
    office = users["office"]
    risk = RiskPoint.objects.filter(status=Status.PUBLISHED, level__gt=1).order_by("code").first()
    if risk is not None:
        handling.adjust_level(risk=risk, actor=office, to_level=risk.level - 1,
                              reason="近半年该环节收到两件同类信访，发生概率提高，调高一级。")
