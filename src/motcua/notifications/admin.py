"""The outbox in the admin: every notification, its attempts, and "send again"."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.notifications.models import ChannelChoice, DeliveryAttempt, Notification


# What each kind of notification tells the applicant, as the admin lists show it.
KIND_LABELS = {
    "received": _("Đã tiếp nhận hồ sơ"),
    "supplement_requested": _("Yêu cầu bổ sung hồ sơ"),
    "resolved": _("Có kết quả giải quyết"),
    "rescheduled": _("Xin lỗi, hẹn lại ngày trả"),
    "refused": _("Không tiếp nhận hồ sơ"),
    "paid": _("Đã thanh toán phí, lệ phí"),
    "signing_failed": _("Chưa ký số được kết quả (gửi cán bộ)"),
}


class KindFilter(admin.SimpleListFilter):
    title = _("loại thông báo")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(KIND_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "channel", "sender", "status", "error_class", "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "kind_label", "channel", "state", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("state", "channel", KindFilter)
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "event", "kind", "channel", "recipient", "subject", "body", "data", "state", "error",
                       "attempts", "next_attempt_at", "sender", "reference", "created_at", "sent_at")
    inlines = [DeliveryAttemptInline]
    actions = ["send_again"]

    @admin.display(description=_("loại thông báo"), ordering="kind")
    def kind_label(self, obj: Notification) -> str:
        return str(KIND_LABELS.get(obj.kind, obj.kind))

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại các thông báo đã chọn"))
    def send_again(self, request, queryset):
        from motcua.notifications.services import requeue

        with transaction.atomic():
            for notification in queryset.exclude(state=Notification.State.SENT):
                requeue(notification)


@admin.register(ChannelChoice)
class ChannelChoiceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "zalo", "updated_at")
    raw_id_fields = ("user",)
