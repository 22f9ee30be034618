"""The exceptions of the evaluation workflow, in a module of their own.

Views, other apps' services and the API catch these; importing them from here does not pull
in the services (and through them notifications, programs and the audit log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from cityeval.evaluations.models import ItemValue


class WorkflowError(Exception):
    """A request the workflow refuses; the message is shown to the person as it is."""


class StaleEditError(WorkflowError):
    """Someone saved the item after this person opened it; nothing was overwritten."""

    def __init__(self, item: ItemValue) -> None:
        self.current = item
        super().__init__(
            _(
                "Butir ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian Anda belum "
                "disimpan: periksa nilai terbaru di bawah, lalu simpan lagi."
            )
            % {"who": item.updated_by or _("orang lain")}
        )


class TransitionError(Exception):
    """A status change the workflow does not allow from the current state."""
