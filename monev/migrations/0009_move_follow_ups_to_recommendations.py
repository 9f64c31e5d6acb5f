# #13: follow-up per recommendation (data, step 2 of 3). Each follow-up of a finding moves onto that finding's
# first recommendation; a finding without one gets a recommendation made from the finding itself (its condition
# as the text, due with the finding, its loss as the amount to recover). Each recommendation that received
# follow-ups takes the latest verification as its status; the other recommendations of a finding keep
# "belum ditindaklanjuti", except on a closed finding, whose recommendations all take the finding's class.

from django.db import migrations

BATCH = 2000


def recommendation_from(finding, Recommendation):
    return Recommendation(
        finding_id=finding.pk,
        text=(finding.title or finding.condition or "-")[:2000],
        responsible_official="-",
        due_date=finding.due_date,
        amount_to_recover=finding.loss_value or 0,
        status=finding.follow_up_class or "belum_ditindaklanjuti",
    )


def forward(apps, schema_editor):
    Finding = apps.get_model("monev", "Finding")
    Recommendation = apps.get_model("monev", "Recommendation")
    FollowUp = apps.get_model("monev", "FollowUp")

    followed = Finding.objects.filter(legacy_follow_ups__isnull=False).distinct()
    without = followed.exclude(recommendations__isnull=False)
    made = [recommendation_from(finding, Recommendation) for finding in without.iterator(BATCH)]
    Recommendation.objects.bulk_create(made, batch_size=BATCH)

    first = {}
    for finding_id, pk in (
        Recommendation.objects.filter(finding__in=followed).order_by("finding_id", "id").values_list("finding_id", "id")
    ):
        first.setdefault(finding_id, pk)
    pending = []
    for follow_up in FollowUp.objects.filter(recommendation__isnull=True).only("id", "finding_id").iterator(BATCH):
        follow_up.recommendation_id = first[follow_up.finding_id]
        pending.append(follow_up)
        if len(pending) >= BATCH:
            FollowUp.objects.bulk_update(pending, ["recommendation"])
            pending = []
    FollowUp.objects.bulk_update(pending, ["recommendation"])

    # The status of each recommendation that was followed up: its latest verification (else not yet followed up).
    latest = {}
    for rec_id, verification in (
        FollowUp.objects.exclude(verification="")
        .order_by("recommendation_id", "verified_at", "id")
        .values_list("recommendation_id", "verification")
    ):
        latest[rec_id] = verification
    changed = []
    for rec_id, verification in latest.items():
        changed.append(Recommendation(pk=rec_id, status=verification))
    Recommendation.objects.bulk_update(changed, ["status"], batch_size=BATCH)
    # A closed finding was settled as a whole: all its recommendations take its class.
    for finding in Finding.objects.filter(status="closed").only("id", "follow_up_class").iterator(BATCH):
        Recommendation.objects.filter(finding_id=finding.pk).update(status=finding.follow_up_class)


def backward(apps, schema_editor):
    FollowUp = apps.get_model("monev", "FollowUp")
    pending = []
    for follow_up in FollowUp.objects.select_related("recommendation").iterator(BATCH):
        follow_up.finding_id = follow_up.recommendation.finding_id
        pending.append(follow_up)
    FollowUp.objects.bulk_update(pending, ["finding"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0008_follow_up_per_recommendation"),
    ]

    operations = [migrations.RunPython(forward, backward)]
