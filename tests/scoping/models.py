from django.db import models
from django.urls import reverse

from dakportal.models import BaseModel


class Widget(BaseModel):
    """A region-bound record for testing the shared bases (no migrations: created by the test runner)."""

    name = models.CharField(max_length=50)
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scoping:widget_detail", args=[self.pk])
