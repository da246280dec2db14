from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api.main import api
from motcua.server.health import healthz
from motcua.operations.metrics import metrics

admin.site.site_header = _("Quản trị hệ thống Một cửa")
admin.site.site_title = _("Một cửa")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("can-bo/", include("motcua.reports.urls")),
    path("can-bo/", include("motcua.inspection.urls")),
    path("can-bo/", include("motcua.simplification.urls")),  # /can-bo/don-gian-hoa/: simplification proposals  # /can-bo/kiem-tra/: officers' work, inspections
    path("can-bo/", include("motcua.national.office_urls")),  # /can-bo/lien-thong/: the national outbox
    path("can-bo/", include("motcua.voices.office_urls")),  # /can-bo/hoi-dap/: the unit's questions and feedback
    path("can-bo/", include("motcua.office.urls")),
    path("giay-to/", include("motcua.printing.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("lien-thong/", include("motcua.national.urls")),  # national systems: file links, simulators
    path("tai-khoan/", include("motcua.notifications.urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),  # allauth: sign-up, log-in, profile, sign-on
    path("ho-so-cua-toi/", include("motcua.filing.mine_urls")),
    path("quay/", include("motcua.portal.kiosk_urls")),  # /quay/danh-gia/: the counter's rating tablet
    path("", include("motcua.voices.urls")),  # /hoi-dap/, /thu-tuc/{code}/hoi-dap/
    path("", include("motcua.filing.urls")),
    path("", include("motcua.portal.urls")),
]

handler400 = "motcua.portal.views.bad_request"
handler403 = "motcua.portal.views.permission_denied"
handler404 = "motcua.portal.views.page_not_found"
handler500 = "motcua.portal.views.server_error"
handler429 = "motcua.accounts.views.too_many_requests"  # allauth's limits (sign-ups, e-mails sent)
