from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.views.i18n import set_language
from django.urls import include, path

from org.forms import AdminLoginForm, LoginForm
from dashboards.views import home

from .views import favicon, healthz

admin.site.site_header = "廉政风险防控系统 · 管理后台"
admin.site.site_title = "廉政风险防控系统"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("inbox/", include("notices.urls")),
    path("schedules/", include("schedules.urls")),
    path("powers/", include("powers.urls")),
    path("risks/", include("riskpoints.urls")),
    path("controls/", include("controls.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("publications/", include("public.admin_urls")),
    path("public/", include("public.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("documents/", include("documents.urls")),
    path("supervision/", include("supervision.urls")),
]
