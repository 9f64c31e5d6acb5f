# #13: follow-up per recommendation (schema, step 1 of 3): a recommendation gets its own follow-up status and its
# amount to recover (renamed from `value`); a follow-up gets its recommendation and the money deposited with its
# proof. The follow-ups keep their finding until 0009 has moved them onto a recommendation.

import django.db.models.deletion
from django.db import migrations, models

import dakportal.models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0007_assignments_and_visits"),
    ]

    operations = [
        migrations.RenameField(model_name="recommendation", old_name="value", new_name="amount_to_recover"),
        migrations.AlterField(
            model_name="recommendation",
            name="amount_to_recover",
            field=dakportal.models.MoneyField(
                default=0,
                help_text="Money to be returned to the treasury, if any.",
                verbose_name="amount to recover (Rp)",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="status",
            field=models.CharField(
                choices=[
                    ("sesuai", "Sesuai dengan rekomendasi"),
                    ("belum_sesuai", "Belum sesuai"),
                    ("belum_ditindaklanjuti", "Belum ditindaklanjuti"),
                    ("tidak_dapat", "Tidak dapat ditindaklanjuti"),
                ],
                default="belum_ditindaklanjuti",
                max_length=25,
                verbose_name="follow-up status",
            ),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["status", "due_date"], name="monev_rec_status_due"),
        ),
        migrations.AddField(
            model_name="followup",
            name="recommendation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_ups",
                to="monev.recommendation",
                verbose_name="recommendation",
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="finding",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legacy_follow_ups",
                to="monev.finding",
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="amount_deposited",
            field=dakportal.models.MoneyField(default=0, verbose_name="amount deposited (Rp)"),
        ),
        migrations.AddField(
            model_name="followup",
            name="deposit_to",
            field=models.CharField(
                blank=True,
                choices=[("kas_negara", "Kas negara"), ("kas_daerah", "Kas daerah")],
                max_length=12,
                verbose_name="deposited to",
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="deposit_reference",
            field=models.CharField(blank=True, max_length=100, verbose_name="proof of deposit (NTPN / STS number)"),
        ),
        migrations.AddField(
            model_name="followup",
            name="deposit_date",
            field=models.DateField(blank=True, null=True, verbose_name="deposit date"),
        ),
    ]
