"""What a Celery task does for someone who follows it on a page (an import, an export, a long
document): the states it ends in, and when to stop waiting for it."""

from datetime import timedelta

from django.utils import timezone


class BackgroundJob:
    """Mixed into a model with ``state`` and ``created_at``; ``FINAL`` names the states it ends in.

    A job still unfinished ``STALLED_AFTER`` its request is ``stalled``: the worker died or never
    got the task, so its page stops polling and says to ask again."""

    FINAL = ()
    STALLED_AFTER = timedelta(hours=1)

    @property
    def finished(self):
        return self.state in self.FINAL

    @property
    def stalled(self):
        return not self.finished and timezone.now() - self.created_at > self.STALLED_AFTER
