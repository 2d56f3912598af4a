"""Working days (工作日): weekdays, less the public holidays, plus the weekend days worked in
exchange (调休). Pure functions over a calendar given as ``{date: is_workday}``; the database
rows (the office's list in ``schedules``: ``work_calendar(bureau).exceptions()``) are read once by the caller."""

import datetime


def is_workday(day, calendar):
    return calendar.get(day, day.weekday() < 5)


def add_workdays(start, days, calendar):
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day, calendar):
            left -= 1
    return day


def workdays_between(start, end, calendar):
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_workday(day, calendar)
    return count
