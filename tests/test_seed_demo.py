import re
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from org.models import Post, Unit, User
from powers.models import LegalBasis, PowerItem
from review.choices import Status
from review.models import ReviewRecord
from riskpoints.models import RiskPoint


def test_seed_demo_builds_a_bureau_and_runs_twice_without_duplicates(db):
    call_command("seed_demo", verbosity=0)
    counts = (Unit.objects.count(), Post.objects.count(), User.objects.count(), PowerItem.objects.count(),
              LegalBasis.objects.count(), ReviewRecord.objects.count(), RiskPoint.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (Unit.objects.count(), Post.objects.count(), User.objects.count(), PowerItem.objects.count(),
                      LegalBasis.objects.count(), ReviewRecord.objects.count(), RiskPoint.objects.count())
    assert Unit.objects.count() >= 10 and Post.objects.count() >= 30 and PowerItem.objects.count() >= 60
    assert set(PowerItem.objects.values_list("status", flat=True)) == set(Status.values)
    assert PowerItem.objects.filter(revision=2, status=Status.DRAFT, published_record__isnull=False).exists()
    assert PowerItem.objects.values("category").distinct().count() == 12
    for role in ("staff", "unit_head", "leader", "office", "leadership", "admin"):
        assert User.objects.filter(groups__name=role).exists(), role
    # Every published power was approved by a different person at each step.
    published = PowerItem.objects.filter(status=Status.PUBLISHED).first()
    actors = ReviewRecord.objects.filter(content_type=ContentType.objects.get_for_model(PowerItem), object_id=published.pk,
                                         revision=published.revision,
                                         action__in=["submit", "unit_approve", "leader_approve", "accept"])
    assert len({r.actor_id for r in actors}) == 4

    # The office has marked 关键岗位, with a history record naming it, and risk points sit on them.
    key = Post.objects.filter(is_key=True)
    assert 10 <= key.count() < Post.objects.count() and RiskPoint.objects.filter(post__is_key=True).exists()
    assert key.first().history.first().history_user.username == "office"
    assert RiskPoint.objects.exclude(key_area="").exists()

    # Risk points: enough, in every state and level, each accepted one with its plan.
    assert RiskPoint.objects.count() >= 150
    assert set(RiskPoint.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(RiskPoint.objects.values_list("level", flat=True)) == {1, 2, 3}
    for risk in RiskPoint.objects.filter(status__in=[Status.ACCEPTED, Status.PUBLISHED]):
        assert risk.plan.measures.exists()
    # Every power's flow is valid and at least ten branch.
    assert all(not p.flow_problems() for p in PowerItem.objects.all())
    branching = sum(1 for p in PowerItem.objects.all() if len(p.flow["edges"]) >= len(p.flow["steps"]))
    assert branching >= 10

    # The README's table of demo accounts names each account as the demo seeds it.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| ([^|]+) \|", readme, re.M)
    assert len(rows) >= 8
    for username, name in rows:
        assert User.objects.get(username=username).real_name == name.strip(), username

    # The open self-inspection: units in every state, going through their risk points' measures,
    # with the post holders' own self-checks (all of them where the task is handed in).
    from schedules.models import CampaignTask, PersonalCheck, RiskCheck

    tasks = CampaignTask.objects.filter(campaign__kind="self", campaign__state="open")
    assert set(tasks.values_list("state", flat=True)) == {"open", "submitted", "accepted", "returned"}
    assert RiskCheck.objects.filter(task__in=tasks).exclude(problems="").exists()
    assert RiskCheck.objects.filter(task__in=tasks.filter(state="open"), implemented=True).exists()
    assert not PersonalCheck.objects.filter(task__in=tasks.exclude(state="open"), filled_at__isnull=True).exists()
    half = PersonalCheck.objects.filter(task__in=tasks.filter(state="open"))
    assert half.filter(filled_at__isnull=True).exists() and half.filter(filled_at__isnull=False).exists()
