"""/api/v1/: one NinjaAPI with a router per domain; OpenAPI at /api/v1/openapi.json."""

from django.urls import path
from ninja import NinjaAPI

from facit.core.api_errors import install_error_handlers
from facit.core.throttling import anonymous_api_throttles
from facit.directory.api import router as directory_router
from facit.evidence.gapmap.api import router as evidence_map_router
from facit.evidence.registry.api import router as registry_router
from facit.evidence.synthesis.api import router as synthesis_router
from facit.guidance.api import router as guidance_router
from facit.literature.api import router as literature_router
from facit.panel.api import router as panel_router

api = NinjaAPI(
    title="facit API",
    version="1",
    description="Evidence, guidance and support directory of facit. Read endpoints are public.",
    urls_namespace="api-v1",
    docs_url="/docs",
    throttle=anonymous_api_throttles(),
)
install_error_handlers(api)
api.add_router("/", registry_router)
api.add_router("/", evidence_map_router)
api.add_router("/", literature_router)
api.add_router("/", directory_router)
api.add_router("/", guidance_router)
api.add_router("/", panel_router)
api.add_router("/", synthesis_router)

urlpatterns = [path("api/v1/", api.urls)]
