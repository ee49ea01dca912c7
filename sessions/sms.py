"""Text messages through a small pluggable backend, as Django does for e-mail.

`settings.KOR_SMS_BACKEND` names a class with `send(to, body)`. The ones here print the message
(the default, like Django's console e-mail backend), write it to a file per message (like the
file-based one) or keep it in `outbox` (tests). A real gateway is a class of its own, e.g.

    class GatewayBackend:
        def send(self, to: str, body: str) -> None:
            requests.post(GATEWAY_URL, json={"to": to, "text": body}, timeout=10)
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


# The messages LocMemBackend "sent", oldest first (like django.core.mail.outbox).
outbox: list[TextMessage] = []


class ConsoleBackend:
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class FileBackend:
    """One file per message in KOR_SMS_FILE_PATH."""

    def send(self, to: str, body: str) -> None:
        folder = Path(settings.KOR_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{uuid.uuid4().hex}.txt").write_text(f"To: {to}\n\n{body}\n", "utf-8")


class LocMemBackend:
    def send(self, to: str, body: str) -> None:
        outbox.append(TextMessage(to, body))


def send_sms(to: str, body: str) -> None:
    import_string(settings.KOR_SMS_BACKEND)().send(to, body)
