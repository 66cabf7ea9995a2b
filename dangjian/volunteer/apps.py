from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteerConfig(AppConfig):
    """党员服务群众 (志愿服务): activities, sign-ups, QR check-in and the hours they credit."""

    name = "dangjian.volunteer"
    label = "volunteer"
    verbose_name = _("志愿服务")
