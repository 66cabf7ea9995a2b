"""The model backend, loading the user's person with the user (every page shows the person's name)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from dangjian.accounts.models import User

        user = User.objects.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
