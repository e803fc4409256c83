"""manage.py send_digest [--dry-run]: each person's daily email (run by cron; README).

Every active person who asked for anything on their profile page gets one plain-text email
when something they asked for happened since their last digest, and none otherwise. A
person without an email address is skipped with a note. A failure to send to one person is
logged and the others still get theirs; their `last_sent_at` moves only when the email went
out, so the next run tells them again. Exit status 1 when any email could not be sent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.roles import role_of
from common.services import record_digest_sent
from reports.digest import CLOSERS, Digest, digest_for, gather, recipients, since_for

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Email each person who opted in what happened since their last digest."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the emails that would be sent; send and record nothing",
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        now = timezone.now()
        people = recipients()
        if not people:
            self.stdout.write("Nobody has asked for a digest.")
            return
        roles = {user.pk: role_of(user) for user, _ in people}
        facts = gather(
            now=now,
            since=min(since_for(preference, now) for _, preference in people),
            close=any(p.ready_to_close and roles[u.pk] in CLOSERS for u, p in people),
            rag=any(preference.rag_changes for _, preference in people),
        )
        sent = failed = 0
        for user, preference in people:
            digest = digest_for(
                user=user,
                preference=preference,
                role=roles[user.pk],
                facts=facts,
                site_url=settings.SITE_URL,
            )
            if digest is None:
                continue
            if not user.email:
                self.stdout.write(
                    f"Skipped {user.get_username()}: no email address ({digest.subject})."
                )
            elif dry_run:
                self.stdout.write(self.shown(digest))
                sent += 1
            elif self.send(digest):
                record_digest_sent(user=user, sent_at=now)
                sent += 1
            else:
                failed += 1
        self.stdout.write(
            f"{'Would send' if dry_run else 'Sent'} {sent} digest{'' if sent == 1 else 's'}."
        )
        if failed:
            raise CommandError(
                f"{failed} digest{' was' if failed == 1 else 's were'} not sent: see the log. "
                "Those people will be told again on the next run."
            )

    def send(self, digest: Digest) -> bool:
        user = digest.user
        message = EmailMessage(
            subject=digest.subject,
            body=digest.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        try:
            message.send()
        except Exception:
            # Whatever the mail server or backend says, the others still get theirs.
            logger.exception("Could not send the digest to %s", user.get_username())
            return False
        return True

    @staticmethod
    def shown(digest: Digest) -> str:
        return f"To: {digest.user.email}\nSubject: {digest.subject}\n\n{digest.body}\n"
