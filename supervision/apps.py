from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("电子监察")

    def ready(self):
        from powers.hooks import add_detail_section
        from powers.models import PowerItem
        from review import registry
        from review.choices import Action

        from .models import BenchmarkRow
        from .services import benchmark_acceptance_problems, benchmark_snapshot
        from .views import benchmark_section

        registry.add_guard(PowerItem, Action.ACCEPT, benchmark_acceptance_problems)
        registry.add_snapshot_part(PowerItem, "benchmark", benchmark_snapshot)
        registry.add_history_child(PowerItem, BenchmarkRow, "power_id")
        add_detail_section(benchmark_section)
