"""#17: the risk register's rules, as first set. Thresholds and weights are data from here on: ministry staff and
Itjen change them on the rules page, with every change in the history."""

from django.db import migrations

from monev.risk_defaults import DEFAULT_RULES


def seed(apps, schema_editor):
    RiskRule = apps.get_model("monev", "RiskRule")
    for code, subject, label, threshold, unit, weight, description in DEFAULT_RULES:
        RiskRule.objects.get_or_create(
            code=code,
            defaults={
                "subject": subject,
                "label": label,
                "threshold": threshold,
                "threshold_unit": unit,
                "weight": weight,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("monev", "0011_risk_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
