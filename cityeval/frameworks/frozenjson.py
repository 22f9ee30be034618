"""The JSON columns of an imported framework, decoded once per process and read-only.

A framework version and its nodes never change once written (models.py), yet every page of an
evaluation loads its version (the cycle's `framework_version`, ~250 kB of JSON for G100SC) and
item pages load nodes with their rubrics: decoding the same text again on every request was a
few milliseconds of each request's CPU under load (issue 13, bench/load_costs.py).

`FrozenJSONField` decodes a given text once per process (an LRU keyed on the text itself, so a
different text is always decoded anew: correct even for a row that did change) and hands out
the same value to every reader. That value is shared, so it is read-only: objects are
`FrozenDict` and arrays `FrozenList`, whose changing methods raise `TypeError`; `copy.deepcopy`
gives plain, changeable containers. Writing is unchanged (the field is a JSONField to Django and
to migrations).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any, NoReturn

from django.db import models

# Distinct texts kept decoded: every version's document and every node's levels/tags of the
# frameworks in use (G100SC and SPBE: a few hundred nodes per version).
DECODED_TEXTS = 4096


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError(f"{type(self).__name__} is read-only: shared by every reader of the row")


class FrozenDict(dict[str, Any]):
    """A JSON object shared between readers: reading as a dict, changing refused."""

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: copy.deepcopy(value, memo) for key, value in self.items()}

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class FrozenList(list[Any]):
    """A JSON array shared between readers: reading as a list, changing refused."""

    __setitem__ = __delitem__ = append = extend = insert = pop = remove = _refuse
    clear = sort = reverse = __iadd__ = __imul__ = _refuse

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(value, memo) for value in self]

    def __copy__(self) -> list[Any]:
        return list(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return FrozenList(_freeze(item) for item in value)
    return value


def _frozen_object(pairs: list[tuple[str, Any]]) -> FrozenDict:
    return FrozenDict((key, _freeze(value)) for key, value in pairs)


@lru_cache(maxsize=DECODED_TEXTS)
def decode(text: str) -> Any:
    """The read-only value of a JSON text, decoded once per process."""
    return _freeze(json.loads(text, object_pairs_hook=_frozen_object))


class FrozenJSONField(models.JSONField):
    """A JSONField of a write-once row: decoded once per process, read-only (see above)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str) and self.decoder is None:
            try:
                return decode(value)
            except json.JSONDecodeError:
                return value
        return super().from_db_value(value, expression, connection)

    def deconstruct(self) -> Any:
        # The column is a plain JSONField: no migration, and none if this class goes away.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
