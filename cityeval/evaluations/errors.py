"""The exceptions of the evaluation workflow, in a module of their own.

Views, other apps' services and the API catch these; importing them from here does not pull
in the services (and through them notifications, programs and the audit log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from cityeval.evaluations.history import LastChange
    from cityeval.evaluations.models import ItemValue


class WorkflowError(Exception):
    """A request the workflow refuses; the message is shown to the person as it is."""


class StaleEditError(WorkflowError):
    """Someone saved the item after this person opened it; nothing was overwritten.

    The message names who saved the newer version and when (`history.last_change`), and says
    "Anda" when it was the same person, in another tab or window.
    """

    def __init__(
        self, item: ItemValue, user: AbstractBaseUser | AnonymousUser | None = None
    ) -> None:
        self.current = item
        self.change = _last_change(item, user)
        super().__init__(self.explain())

    def explain(self) -> str:
        if self.change.by_me:
            return _(
                "Anda sendiri sudah menyimpan butir ini pada %(when)s (di tab atau jendela lain) "
                "sejak halaman ini dibuka. Isian di sini belum disimpan: periksa nilai terbaru "
                "di bawah, lalu simpan lagi."
            ) % {"when": self.change.when}
        return _(
            "Butir ini sudah diubah oleh %(who)s pada %(when)s sejak Anda membukanya. Isian "
            "Anda belum disimpan: periksa nilai terbaru di bawah, lalu simpan lagi."
        ) % {"who": self.change.who, "when": self.change.when}


def _last_change(item: ItemValue, user: AbstractBaseUser | AnonymousUser | None) -> LastChange:
    # Imported here: this module stays importable without the audit log (see above).
    from cityeval.evaluations.history import last_change

    return last_change(item, user)


class TransitionError(Exception):
    """A status change the workflow does not allow from the current state."""
