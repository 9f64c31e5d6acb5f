from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from dakportal.api.serializers import ValidatedModelSerializer
from dakportal.api.viewsets import ScopedModelViewSet
from tests.scoping.models import Widget
from tests.scoping.services import save_widget
from tests.scoping.views import WidgetFilterSet


class WidgetSerializer(ValidatedModelSerializer):
    regency = serializers.SlugRelatedField(
        slug_field="code", queryset=Widget._meta.get_field("regency").related_model.objects.all()
    )

    class Meta:
        model = Widget
        fields = ["id", "name", "regency"]


class WidgetViewSet(ScopedModelViewSet):
    queryset = Widget.objects.select_related("regency")
    serializer_class = WidgetSerializer
    filterset_class = WidgetFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["id"]
    save_service = save_widget


router = DefaultRouter()
router.register("widgets", WidgetViewSet)
urlpatterns = router.urls
