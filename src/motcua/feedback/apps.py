from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Đánh giá, khảo sát mức độ hài lòng")
    default_auto_field = "django.db.models.BigAutoField"
