"""`python manage.py send_reminders`: expire form links whose time is up and send the one
reminder of every link not done after KOR_LINK_REMINDER_HOURS (never a second one).

Run it every 15 minutes or so, by cron or by the task worker's scheduler (README). Safe to run
twice at once: each reminder is claimed by a conditional update before it is sent.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from sessions.remote import send_reminders
from sessions.remote_tasks import schedule_next


class Command(BaseCommand):
    help = "Expire old form links and send one reminder for links not yet done."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue a task that the task worker runs every 15 minutes (instead of cron).",
        )

    def handle(self, *args, **options) -> None:
        if options["schedule"]:
            queued = schedule_next()
            self.stdout.write("scheduled" if queued else "this task backend cannot schedule")
            return
        reminded, expired = send_reminders()
        self.stdout.write(f"reminders sent: {reminded}, links expired: {expired}")
