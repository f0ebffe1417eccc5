"""The portal's URLs and one more, the framework's floor; used only by the benchmark, so the product's URLs stay."""

from django.urls import path

from fundportal.urls import urlpatterns as portal_urlpatterns
from review.benchmarking.floor import FLOOR_PREFIX, floor

urlpatterns = [path(f"{FLOOR_PREFIX.strip('/')}/<int:size>/", floor), *portal_urlpatterns]
