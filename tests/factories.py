"""factory_boy factories and the personas every test file shares."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from org.models import Post, Unit, User
from powers.models import FlowEdge, FlowStep, LegalBasis, PowerItem
from riskpoints.models import RiskPoint, Round
from riskpoints.selectors import open_round


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = "section"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")
    tier = "key"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set([Group.objects.get_or_create(name=r)[0] for r in extracted])

    @factory.post_generation
    def oversees(self, create, extracted, **kwargs):
        if extracted:
            self.oversees.set(extracted)


class PowerItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PowerItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CF-T-{n:04d}")
    category = "penalty"
    name = factory.Sequence(lambda n: f"对违法行为{n}的处罚")
    content = "依法对违法行为作出行政处罚。"
    unit = factory.SubFactory(UnitFactory)
    has_discretion = True

    @factory.post_generation
    def bases(self, create, extracted, **kwargs):
        for i in range(extracted if extracted is not None else 1):
            LegalBasis.objects.create(power=self, law_name="《中华人民共和国行政处罚法》", article=f"第{i + 1}条", order=i)

    @factory.post_generation
    def flow(self, create, extracted, **kwargs):
        """A valid two-step flow by default (受理 → 决定); ``flow=False`` for none."""
        if extracted is False:
            return
        first = FlowStep.objects.create(power=self, name="受理", handler_text="窗口", immediate=True, order=1)
        last = FlowStep.objects.create(power=self, name="决定", handler_text="负责人", time_limit_days=5, order=2)
        FlowEdge.objects.create(power=self, source=first, target=last)

    @factory.post_generation
    def benchmark(self, create, extracted, **kwargs):
        """One discretion benchmark row when the power needs one to be accepted (a penalty with
        discretion); ``benchmark=False`` for none."""
        from supervision.models import BenchmarkRow
        from supervision.services import degree_get, needs_benchmark

        if extracted is False or not needs_benchmark(self):
            return
        BenchmarkRow.objects.create(power=self, circumstance="未取得建设工程规划许可证进行建设", degree=degree_get(self.unit.bureau, "general"),
                                    conditions="尚可采取改正措施消除对规划实施的影响", penalty="限期改正，处建设工程造价百分之五以上百分之十以下的罚款",
                                    fine_basis="percent", fine_min=5, fine_max=10, legal_basis="《城乡规划法》第六十四条")


class RoundFactory(factory.django.DjangoModelFactory):
    """A year opened in a bureau (this year by default), as the office opens it."""

    class Meta:
        model = Round
        django_get_or_create = ("bureau", "year")

    year = factory.LazyFunction(lambda: timezone.localdate().year)


class RiskPointFactory(factory.django.DjangoModelFactory):
    """A 二级 risk point (factors 3+2+2+1 = 8) in the open round of its unit's bureau (this
    year's, opened for the test, when the bureau has none)."""

    class Meta:
        model = RiskPoint

    unit = factory.SubFactory(UnitFactory)
    round = factory.LazyAttribute(lambda r: open_round(r.unit.bureau) or RoundFactory(bureau=r.unit.bureau))
    code = factory.Sequence(lambda n: f"T-{n:05d}")
    kind = "system"
    finding_level = "department"
    title = factory.Sequence(lambda n: f"风险点{n}")
    description = "审核走过场，受请托压低罚款。"
    importance, discretion, probability, harm = 3, 2, 2, 1
    suggested_level = 2
    level = 2
