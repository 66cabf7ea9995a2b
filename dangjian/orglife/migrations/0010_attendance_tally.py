# The maintained attendance tally (ADR 0009): the table, then its rows for the meetings already held.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

# As ``compliance.stats`` counts on the day of this migration (frozen here: a migration must not
# change with the code).
HELD_STATUSES = ("held", "minuted", "closed")
MEMBER_ROLES = ("member", "dual_life")
COLUMNS = ("total", "present", "leave", "absent", "theme_total", "theme_present")


def fill_tally(apps, schema_editor):
    """One INSERT … SELECT … GROUP BY over the held meetings' attendees (set-based: a province's year
    of 25 million attendee rows in one statement), on SQLite and PostgreSQL alike."""
    Attendee = apps.get_model("orglife", "Attendee")
    AttendanceTally = apps.get_model("orglife", "AttendanceTally")
    connection = schema_editor.connection
    grouped = (
        Attendee.objects.using(connection.alias)
        .filter(meeting__status__in=HELD_STATUSES, role__in=MEMBER_ROLES)
        .annotate(org=F("meeting__organization_id"), month=TruncMonth("meeting__date"))
        .values("org", "month")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(attendance="present")),
            leave=Count("id", filter=Q(attendance="leave")),
            absent=Count("id", filter=~Q(attendance__in=["present", "leave"])),
            theme_total=Count("id", filter=Q(meeting__kind="theme_day")),
            theme_present=Count("id", filter=Q(meeting__kind="theme_day", attendance="present")),
        )
        .order_by()
    )
    select, params = grouped.query.get_compiler(using=connection.alias).as_sql()
    qn = connection.ops.quote_name
    names = [("org", "branch_id"), ("month", "month"), *((c, c) for c in COLUMNS)]
    into = ", ".join(qn(column) for _name, column in names)
    # PostgreSQL's DATE_TRUNC of a date answers a timestamp with time zone: back to a date, explicitly.
    cast = connection.vendor == "postgresql"
    picked = ", ".join(
        f"CAST(src.{qn(name)} AS date)" if cast and name == "month" else f"src.{qn(name)}"
        for name, _column in names
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(AttendanceTally._meta.db_table)} ({into}) SELECT {picked} FROM ({select}) src",
            params,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_person_list_index'),
        ('orglife', '0009_todo_partial_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='AttendanceTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='应参加')),
                ('present', models.PositiveIntegerField(default=0, verbose_name='出席')),
                ('leave', models.PositiveIntegerField(default=0, verbose_name='请假')),
                ('absent', models.PositiveIntegerField(default=0, verbose_name='缺席')),
                ('theme_total', models.PositiveIntegerField(default=0, verbose_name='主题党日应参加')),
                ('theme_present', models.PositiveIntegerField(default=0, verbose_name='主题党日出席')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_tallies', to='core.organization', verbose_name='党组织')),
            ],
            options={
                'verbose_name': '出勤统计表',
                'verbose_name_plural': '出勤统计表',
                'indexes': [models.Index(fields=['month', 'branch'], name='orglife_tally_month')],
                'constraints': [models.UniqueConstraint(fields=('branch', 'month'), name='orglife_tally_branch_month')],
            },
        ),
        migrations.RunPython(fill_tally, migrations.RunPython.noop),
    ]
