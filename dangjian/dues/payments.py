"""Online payment: the adapter interface a real gateway implements, and a fake provider for tests.

No real gateway ships with the platform. A school configures ``DUES_PAYMENT_PROVIDER`` (a dotted path to a
class implementing ``PaymentProvider``); without it, online payment is off and members pay the branch.
The provider's signed notification is the only thing that marks an order paid, once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Notice:
    order_id: str
    amount: Decimal
    paid: bool
    reference: str


class PaymentProvider(Protocol):
    name: str

    def checkout_url(self, *, order_id: str, amount: Decimal, description: str) -> str:
        """Where the member's browser goes to pay."""
        ...

    def parse_notice(self, body: bytes, headers: dict[str, str]) -> Notice:
        """Verify the gateway's signed notification; raise ValueError when it is not genuine."""
        ...


def get_provider() -> PaymentProvider | None:
    path = getattr(settings, "DUES_PAYMENT_PROVIDER", "")
    return import_string(path)() if path else None


class FakeProvider:
    """A gateway stand-in: notifications are JSON signed with HMAC-SHA256 of the SECRET_KEY."""

    name = "fake"

    def checkout_url(self, *, order_id: str, amount: Decimal, description: str) -> str:
        return f"/fake-pay/{order_id}?amount={amount}"

    @staticmethod
    def sign(payload: dict[str, Any]) -> tuple[bytes, str]:
        body = json.dumps(payload, sort_keys=True).encode()
        return body, hmac.new(settings.SECRET_KEY.encode(), body, hashlib.sha256).hexdigest()

    def parse_notice(self, body: bytes, headers: dict[str, str]) -> Notice:
        expected = hmac.new(settings.SECRET_KEY.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
            raise ValueError("bad signature")
        data = json.loads(body)
        return Notice(
            str(data["order_id"]), Decimal(str(data["amount"])), bool(data["paid"]), str(data["reference"])
        )
