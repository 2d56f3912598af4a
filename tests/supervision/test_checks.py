"""The checks as pure functions: working days, flow order, benchmark ranges, rules of procedure."""

import datetime
from decimal import Decimal

import pytest

from supervision.checks import filing_findings, matter_breaches, penalty_findings
from supervision.choices import BreachKind, FindingKind
from supervision.workdays import add_workdays, workdays_between

D = datetime.date
FLOW = {"steps": [{"id": 1, "name": "立案", "immediate": True, "days": None, "time_limit": "即时"},
                  {"id": 2, "name": "调查", "immediate": False, "days": 10, "time_limit": "10 个工作日"},
                  {"id": 3, "name": "告知", "immediate": False, "days": 3, "time_limit": "3 个工作日"},
                  {"id": 4, "name": "决定", "immediate": False, "days": 5, "time_limit": "5 个工作日"}],
        "edges": [{"source": 1, "target": 2}, {"source": 2, "target": 3}, {"source": 3, "target": 4}]}


def kinds(found):
    return [(k, s) for k, s, _m in found]


def test_working_days_skip_weekends_and_holidays_and_count_exchange_days():
    assert add_workdays(D(2026, 3, 6), 1, {}) == D(2026, 3, 9)  # Friday + 1 → Monday
    assert add_workdays(D(2026, 3, 2), 5, {D(2026, 3, 4): False}) == D(2026, 3, 10)
    assert add_workdays(D(2026, 3, 6), 1, {D(2026, 3, 7): True}) == D(2026, 3, 7)  # a Saturday worked
    assert workdays_between(D(2026, 3, 9), D(2026, 3, 10), {}) == 1
    assert workdays_between(D(2026, 3, 10), D(2026, 3, 9), {}) == 0


def check(done, closed=True, calendar=None, today=D(2026, 6, 1)):
    return filing_findings(flow=FLOW, opened_on=D(2026, 3, 2), done=done, closed=closed, today=today,
                           calendar=calendar or {})


ON_TIME = {1: D(2026, 3, 2), 2: D(2026, 3, 16), 3: D(2026, 3, 19), 4: D(2026, 3, 26)}


def test_a_case_on_time_and_in_order_has_no_finding():
    assert check(ON_TIME) == []


def test_a_step_one_working_day_late_is_late():
    found = check({**ON_TIME, 4: D(2026, 3, 27)})
    assert kinds(found) == [(FindingKind.LATE, 4)]
    assert "超出 1 个工作日" in found[0][2]


def test_a_holiday_moves_the_limit():
    assert check({**ON_TIME, 4: D(2026, 3, 27)}, calendar={D(2026, 3, 23): False}) == []


def test_a_skipped_step_and_a_wrong_order_are_found():
    assert kinds(check({1: D(2026, 3, 2), 2: D(2026, 3, 3), 4: D(2026, 3, 5)})) == [(FindingKind.SKIPPED, 3)]
    assert (FindingKind.ORDER, 2) in kinds(check({1: D(2026, 3, 2), 3: D(2026, 3, 3), 2: D(2026, 3, 4), 4: D(2026, 3, 5)}))


def test_a_closed_case_that_stopped_early_skipped_the_rest():
    assert kinds(check({1: D(2026, 3, 2), 2: D(2026, 3, 3)})) == [(FindingKind.SKIPPED, 3)]
    assert check({1: D(2026, 3, 2), 2: D(2026, 3, 3)}, closed=False, today=D(2026, 3, 4)) == []


def test_an_open_case_whose_next_step_is_overdue_is_late():
    found = check({1: D(2026, 3, 2), 2: D(2026, 3, 3)}, closed=False, today=D(2026, 3, 9))
    assert kinds(found) == [(FindingKind.LATE, 3)]


BENCH = {"circumstance": "未批先建", "degree_label": "一般", "fine_basis": "percent", "fine_min": "5.00",
         "fine_max": "10.00", "conditions": "尚可改正"}


@pytest.mark.parametrize("fine, out", [(Decimal("50000"), False), (Decimal("100000"), False),
                                       (Decimal("49999.99"), True), (Decimal("120000"), True)])
def test_a_fine_outside_the_benchmark_range_is_flagged(fine, out):
    found = penalty_findings(benchmark=BENCH, fine_amount=fine, base_amount=Decimal("1000000"),
                             stated_conditions="已停工并申请补办", needs_benchmark=True)
    assert ([k for k, _s, _m in found] == [FindingKind.OUT_OF_RANGE]) is out
    assert out or found == []


def test_an_amount_range_and_a_row_without_fine():
    amount = {**BENCH, "fine_basis": "amount", "fine_min": "1000", "fine_max": "5000"}
    assert penalty_findings(benchmark=amount, fine_amount=Decimal("6000"), base_amount=None, stated_conditions="x",
                            needs_benchmark=True)[0][0] == FindingKind.OUT_OF_RANGE
    none = {**BENCH, "fine_basis": "none", "fine_min": None, "fine_max": None}
    assert penalty_findings(benchmark=none, fine_amount=Decimal("0"), base_amount=None, stated_conditions="x",
                            needs_benchmark=True) == []
    assert penalty_findings(benchmark=none, fine_amount=Decimal("1"), base_amount=None, stated_conditions="x",
                            needs_benchmark=True)[0][0] == FindingKind.OUT_OF_RANGE


def test_a_degree_whose_conditions_are_not_stated_or_no_benchmark_chosen_is_yellow():
    found = penalty_findings(benchmark=BENCH, fine_amount=Decimal("60000"), base_amount=Decimal("1000000"),
                             stated_conditions=" ", needs_benchmark=True)
    assert [k for k, _s, _m in found] == [FindingKind.UNSTATED]
    assert penalty_findings(benchmark={}, fine_amount=None, base_amount=None, stated_conditions="",
                            needs_benchmark=True)[0][0] == FindingKind.UNSTATED
    assert penalty_findings(benchmark={}, fine_amount=None, base_amount=None, stated_conditions="",
                            needs_benchmark=False) == []


# --- 三重一大 ---------------------------------------------------------------------------------------

RULE = {"quorum": "two_thirds", "leader_last": True, "consultation": True, "legal_review": True, "meeting_from": Decimal("500000")}


def member(name, order, leader=False, present=True, opinion="同意", vote="for"):
    return {"name": name, "is_main_leader": leader, "present": present, "speaking_order": order if present else None,
            "opinion": opinion if present else "", "vote": vote if present else ""}


def good_members():
    return [member("甲", 1), member("乙", 2), member("丙", 3), member("丁", 4), member("戊", 5), member("局长", 6, leader=True)]


def breaches(members=None, **over):
    args = {"rule": RULE, "kind": "decision", "amount": None, "meeting_date": D(2026, 5, 6), "consulted": True,
            "legal_reviewed": True, "members": good_members() if members is None else members, **over}
    return [k for k, _m in matter_breaches(**args)]


def test_a_matter_that_follows_every_rule_passes():
    assert breaches() == []


def test_quorum():
    four_of_six = good_members()[:2] + [member("丙", None, present=False), member("丁", None, present=False)] + good_members()[4:]
    assert breaches(four_of_six) == []  # 4 of 6 is two thirds
    three_of_six = [member("甲", None, present=False)] + four_of_six[1:]
    assert BreachKind.QUORUM in breaches(three_of_six)
    assert BreachKind.QUORUM in breaches(three_of_six, rule={**RULE, "quorum": "half"})
    assert breaches(four_of_six, rule={**RULE, "quorum": "half"}) == []


def test_the_main_leader_speaks_last():
    first = [member("局长", 1, leader=True)] + [member(n, i) for i, n in enumerate("乙丙丁戊己", start=2)]
    assert breaches(first) == [BreachKind.LEADER_NOT_LAST]
    assert breaches(first, rule={**RULE, "leader_last": False}) == []


def test_consultation_and_legal_review():
    assert breaches(consulted=False) == [BreachKind.NO_CONSULTATION]
    assert breaches(legal_reviewed=False) == [BreachKind.NO_LEGAL_REVIEW]
    assert breaches(legal_reviewed=False, rule={**RULE, "legal_review": False}) == []


def test_a_large_amount_needs_a_meeting_and_a_small_one_does_not():
    assert breaches([], kind="funds", amount=Decimal("800000"), meeting_date=None) == [BreachKind.NO_MEETING]
    assert breaches([], kind="funds", amount=Decimal("80000"), meeting_date=None) == []
    assert breaches([], kind="appointment", meeting_date=None) == [BreachKind.NO_MEETING]


def test_every_member_present_states_an_opinion_and_a_majority_agrees():
    silent = good_members()
    silent[0]["opinion"] = ""
    assert breaches(silent) == [BreachKind.SILENT_MEMBER]
    against = [member(n, i, vote="against") for i, n in enumerate("甲乙丙", start=1)] + good_members()[3:]
    assert breaches(against) == [BreachKind.NOT_PASSED]
