"""A progress bar per stage of a long command (database, files, verification)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from tqdm import tqdm


class StageProgress:
    """Callable as `progress(stage, done, total)`; opens a new bar when the stage changes."""

    def __init__(self, *, disable: bool = False) -> None:
        self.disable = disable
        self.stage: str | None = None
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.disable:
            return
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total or None, desc=stage, unit_scale=True)
        bar = self.bar
        bar.update(done - bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> StageProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
