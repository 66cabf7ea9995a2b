"""Whether a failing check blocks a step or only warns moves from the step rows to code:
``recruitment.rules.CHECKS``, overridable per school by the ``RECRUITMENT_CHECK_MODES`` setting. The
defaults in code are the modes migration 0002 wrote; a database whose modes were changed afterwards is
told the setting that keeps them. Going back restores the modes of 0002."""

import importlib

from django.db import migrations


def _modes_of_0002():
    steps = importlib.import_module("dangjian.recruitment.migrations.0002_the_25_steps").STEPS
    return {code: mode for _number, code, _name, _stage, _actor, _rule, mode, *_rest in steps}


def report_changed_modes(apps, schema_editor):
    StepDefinition = apps.get_model("recruitment", "StepDefinition")
    loaded = _modes_of_0002()
    changed = {
        step.rule: step.mode
        for step in StepDefinition.objects.exclude(rule="").order_by("number")
        if step.mode != loaded.get(step.code, step.mode)
    }
    if changed:
        print(
            "\n  recruitment: block/warn now lives in code; to keep the modes changed in this database, "
            f"set RECRUITMENT_CHECK_MODES = {changed!r}"
        )


def restore_modes(apps, schema_editor):
    StepDefinition = apps.get_model("recruitment", "StepDefinition")
    for code, mode in _modes_of_0002().items():
        StepDefinition.objects.filter(code=code).update(mode=mode)


class Migration(migrations.Migration):

    dependencies = [
        ('recruitment', '0005_case_last_step'),
    ]

    operations = [
        migrations.RunPython(report_changed_modes, restore_modes),
        migrations.RemoveField(
            model_name='stepdefinition',
            name='mode',
        ),
    ]
