from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fazhi.api import api
from fazhi.core import views as core_views
from fazhi.core.security import ThrottledAdminAuthenticationForm, ThrottledLoginView

admin.site.site_header = "fazhi 后台管理"
admin.site.site_title = "fazhi 后台管理"
admin.site.index_title = "登记簿与账号"
admin.site.login_form = ThrottledAdminAuthenticationForm  # failed logins are throttled like the main login

urlpatterns = [
    path("", include("fazhi.core.urls")),
    path("org/", include("fazhi.org.urls")),
    path("clock/", include("fazhi.clock.urls")),
    path("audit/", include("fazhi.audit.urls")),
    path("ingest/", include("fazhi.ingest.urls")),
    path("credit/", include("fazhi.publicity.urls")),
    path("search/", include("fazhi.portal.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("discretion/", include("fazhi.discretion.urls")),
    path("cases/", include("fazhi.cases.urls")),
    path("oversight/", include("fazhi.oversight.urls")),
    path("supervision/", include("fazhi.supervision.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
