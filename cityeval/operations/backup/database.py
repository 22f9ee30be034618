"""Every row of every model as JSON Lines, and back.

Django's own serialisation is vendor-neutral (decimals, times and JSON survive exactly) and its
JSON Lines form streams both ways, so neither writing nor reading holds the data set in memory.
Primary keys are kept, so references (audit targets stored as text, snapshots' inputs) still
point at the right rows; PostgreSQL's sequences are moved past the restored keys afterwards.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models
from django.utils.translation import gettext as _

from cityeval.operations.backup import BackupError

CHUNK = 2000
# Sessions are not restored: everybody signs in again after a restore.
SKIPPED = {"sessions.session"}

Progress = Callable[[int], Any]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restore must give back every microsecond
    (audit entries hash their exact time)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Concrete, managed models with a table of their own, in a stable order."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]
    return sorted(chosen, key=lambda model: model._meta.label_lower)


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


def dump(out: IO[bytes], progress: Progress | None = None) -> int:
    """Write every row; call inside one transaction so the rows form one consistent picture."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    written = 0
    for model in backed_up_models():
        m2m = [field.name for field in model._meta.local_many_to_many]
        rows = model._base_manager.order_by("pk").prefetch_related(*m2m).iterator(chunk_size=CHUNK)
        for chunk in _chunks(rows):
            serializers.serialize("jsonl", chunk, stream=text, cls=ExactJSONEncoder)
            written += len(chunk)
            if progress:
                progress(len(chunk))
    text.flush()
    text.detach()
    return written


def database_is_empty() -> tuple[bool, list[str]]:
    """Whether any table holds data, not counting rows `migrate` creates by itself."""
    auto_created = {"contenttypes.contenttype", "auth.permission", "audit.auditchainhead"}
    filled = [
        model._meta.label_lower
        for model in backed_up_models()
        if model._meta.label_lower not in auto_created and model._base_manager.exists()
    ]
    return not filled, filled


def erase() -> None:
    """Empty every backed-up table (and sessions); call inside the restore's transaction."""
    tables = [model._meta.db_table for model in backed_up_models()]
    tables += [
        through._meta.db_table
        for model in backed_up_models()
        for through in _auto_through_models(model)
    ]
    tables.append("django_session")
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), [t for t in tables if t in existing], reset_sequences=False
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
        # transaction; run those checks first.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            connection.ops.execute_sql_flush(statements)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


def load(source: IO[bytes], progress: Progress | None = None) -> int:
    """Insert every row from `source` in batches; call inside the restore's transaction."""
    loaded = 0
    pending: list[DeserializedObject] = []
    current: type[models.Model] | None = None
    for obj in _deserialize(source):
        model = type(obj.object)
        if pending and (model is not current or len(pending) >= CHUNK):
            _insert(pending)
            if progress:
                progress(len(pending))
            pending = []
        current = model
        pending.append(obj)
        loaded += 1
    if pending:
        _insert(pending)
        if progress:
            progress(len(pending))
    _reset_sequences()
    return loaded


def _deserialize(source: IO[bytes]) -> Iterator[DeserializedObject]:
    text = io.TextIOWrapper(source, encoding="utf-8")
    line_number = 0
    for line_number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            yield from serializers.deserialize("jsonl", line, ignorenonexistent=False)
        except (DeserializationError, json.JSONDecodeError) as error:
            raise BackupError(
                _("database.jsonl baris %(line)d tidak dapat dibaca: %(error)s")
                % {"line": line_number, "error": error}
            ) from error


def _insert(batch: list[DeserializedObject]) -> None:
    model = type(batch[0].object)
    try:
        with _stored_times_kept(model):
            model._base_manager.bulk_create([obj.object for obj in batch])
        for name, through, source, target in _m2m_columns(model):
            rows = [
                through(**{source: obj.object.pk, target: related})
                for obj in batch
                for related in (obj.m2m_data or {}).get(name, [])
            ]
            through._base_manager.bulk_create(rows)
    except DatabaseError as error:
        raise BackupError(
            _("Baris %(model)s tidak dapat dipulihkan: %(error)s")
            % {"model": model._meta.label_lower, "error": error}
        ) from error


@contextmanager
def _stored_times_kept(model: type[models.Model]) -> Iterator[None]:
    """bulk_create stamps `auto_now` fields with the current time; a restore keeps the stored
    one, as `loaddata` does."""
    stamped = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
    ]
    saved = [(field.auto_now, field.auto_now_add) for field in stamped]
    for field in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(stamped, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _m2m_columns(
    model: type[models.Model],
) -> list[tuple[str, type[models.Model], str, str]]:
    columns = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through is not None and through._meta.auto_created:
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            columns.append((field.name, through, source, target))
    return columns


def _auto_through_models(model: type[models.Model]) -> list[type[models.Model]]:
    return [through for _name, through, _s, _t in _m2m_columns(model)]


def _reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the restored keys (SQLite needs nothing)."""
    every = backed_up_models()
    every += [t for m in backed_up_models() for t in _auto_through_models(m)]
    statements = connection.ops.sequence_reset_sql(no_style(), every)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _chunks(rows: Iterator[models.Model]) -> Iterator[list[models.Model]]:
    chunk: list[models.Model] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
