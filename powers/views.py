from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from review.services import StaleEdit, WorkflowError
from review.views import CompileView, HistoryView, TransitionView, review_context
from review.workflow import EDITOR, may_edit

from .filters import PowerItemFilter
from .forms import LegalBasisFormSet, PowerItemForm, legal_basis_rows
from .models import LegalBasis, PowerItem
from .services import power_create, power_update


class PowerListView(FilterView):
    filterset_class = PowerItemFilter
    template_name = "powers/poweritem_list.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return PowerItem.objects.for_user(self.request.user).select_related("unit").order_by("code")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_create": bool(EDITOR.units(self.request.user))}


class PowerDetailView(DetailView):
    template_name = "powers/poweritem_detail.html"
    extra_context = {"transition_url_name": "powers:transition", "snapshot_template": "powers/snapshot.html"}

    def get_queryset(self):
        return PowerItem.objects.for_user(self.request.user).select_related("unit", "submitted_by").prefetch_related(
            Prefetch("posts"), Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk"))
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **review_context(self.request.user, self.object)}


class PowerEditView(View):
    """Create (no pk) or edit a power item with its legal bases."""

    template_name = "powers/poweritem_form.html"

    def get_power(self, request, pk):
        if pk is None:
            if not EDITOR.units(request.user):
                raise PermissionDenied(_("您没有新建职权事项的权限。"))
            return PowerItem()
        power = get_object_or_404(PowerItem.objects.for_user(request.user), pk=pk)
        if not may_edit(request.user, power):
            raise PermissionDenied(_("该事项当前状态为“%(status)s”，您不能修改。") % {"status": power.get_status_display()})
        return power

    def render_form(self, request, power, form, formset):
        return render(request, self.template_name, {"object": power if power.pk else None, "form": form, "formset": formset})

    def get(self, request, pk=None):
        power = self.get_power(request, pk)
        form = PowerItemForm(instance=power, user=request.user)
        return self.render_form(request, power, form, LegalBasisFormSet(instance=power, prefix="bases"))

    def post(self, request, pk=None):
        power = self.get_power(request, pk)
        form = PowerItemForm(request.POST, instance=power, user=request.user)
        formset = LegalBasisFormSet(request.POST, instance=power, prefix="bases")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
            return self.render_form(request, power, form, formset)
        try:
            if power.pk:
                power = power_update(
                    power=power, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                    data=form.cleaned_data, legal_bases=legal_basis_rows(formset),
                )
            else:
                power = power_create(actor=request.user, data=form.cleaned_data, legal_bases=legal_basis_rows(formset))
        except (StaleEdit, WorkflowError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
            return self.render_form(request, power, form, formset)
        messages.success(request, _("已保存：%(power)s") % {"power": power})
        return redirect(power)


class PowerTransitionView(TransitionView):
    model = PowerItem


class PowerHistoryView(HistoryView):
    model = PowerItem
    children = ((LegalBasis, "power_id"),)


class PowerCompileView(CompileView):
    model = PowerItem
