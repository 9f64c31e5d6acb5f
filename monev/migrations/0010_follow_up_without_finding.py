# #13: follow-up per recommendation (schema, step 3 of 3): every follow-up now hangs off its recommendation (0009);
# the link to the finding goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0009_move_follow_ups_to_recommendations"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="followup",
            options={
                "ordering": ["recommendation", "created", "id"],
                "verbose_name": "follow-up",
                "verbose_name_plural": "follow-ups",
            },
        ),
        migrations.RemoveField(model_name="followup", name="finding"),
        migrations.AlterField(
            model_name="followup",
            name="recommendation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_ups",
                to="monev.recommendation",
                verbose_name="recommendation",
            ),
        ),
    ]
