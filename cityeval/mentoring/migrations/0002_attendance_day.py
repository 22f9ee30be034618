"""Attendance per day of the visit: the rows recorded before count for the visit's first day."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def first_day(apps: Any, schema_editor: Any) -> None:
    Attendance = apps.get_model("mentoring", "Attendance")
    Visit = apps.get_model("mentoring", "Visit")
    starts = Visit.objects.filter(pk=OuterRef("visit_id")).values("starts_on")[:1]
    Attendance.objects.using(schema_editor.connection.alias).update(day=Subquery(starts))


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="day",
            field=models.DateField(null=True, verbose_name="hari"),
        ),
        migrations.RunPython(first_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attendance",
            name="day",
            field=models.DateField(verbose_name="hari"),
        ),
        migrations.RemoveConstraint(model_name="attendance", name="mentoring_attendance_once"),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("visit", "day", "user"),
                name="mentoring_attendance_once",
            ),
        ),
        migrations.AlterModelOptions(
            name="attendance",
            options={"ordering": ["day", "opd__name", "name", "pk"]},
        ),
    ]
