"""A long history is paged by the database: nothing is cut at a fixed number of records."""

import re

from django.urls import reverse

from powers.models import FlowStep


def test_history_beyond_two_hundred_records_reaches_the_first_one(people, power_a, client_for, django_assert_max_num_queries):
    step = power_a.steps.first()
    for i in range(130):
        power_a.content = f"第{i}次修改的内容"
        power_a.save()
        step.conditions = f"第{i}次修改的条件"
        step.save()
    total = power_a.history.count() + FlowStep.history.filter(power_id=power_a.pk).count()
    assert total > 260
    client = client_for(people.staff_a)
    url = reverse("powers:history", args=[power_a.pk])
    first = client.get(url).content.decode()
    assert "第129次修改的内容" in first or "第129次修改的条件" in first
    last_page = max(int(n) for n in re.findall(r"[?&]page=(\d+)", first))
    assert last_page * 30 >= total - 30
    # one query per entry for its previous version, whatever the length of the history
    with django_assert_max_num_queries(75):
        oldest = client.get(url, {"page": last_page}).content.decode()
    assert "第0次修改" in oldest or "新建" in oldest or "创建" in oldest
