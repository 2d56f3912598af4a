"""Working days: Monday to Friday, minus the office's holidays, plus its 调休 working days.

Pure functions over plain dates and sets, so that they can be tested exhaustively; the office's
list is read once per run (``schedules.services.work_calendar``).
"""

import datetime
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset = field(default_factory=frozenset)  # weekdays off
    workdays: frozenset = field(default_factory=frozenset)  # weekend days worked (调休)

    def is_working_day(self, day):
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def offset(self, today, due, working_days=True):
        """Days from ``today`` to ``due``: positive before it, 0 on it, negative when overdue.

        In working days, the count is of working days after the earlier date up to and including
        the later one: a Friday is 1 working day before the next Monday."""
        if not working_days:
            return (due - today).days
        if due == today:
            return 0
        start, end, sign = (today, due, 1) if due > today else (due, today, -1)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return sign * count

    def exceptions(self):
        """The office's list as ``{date: is_working_day}`` (holidays False, 调休 days True)."""
        return {**{d: False for d in self.holidays}, **{d: True for d in self.workdays}}

    def add_working_days(self, day, count):
        """The date ``count`` working days after ``day`` (``count`` ≥ 0)."""
        while count > 0:
            day += ONE_DAY
            count -= self.is_working_day(day)
        return day
