"""The JSON API under /api/v1/. Each app adds its router here; authentication is a per-user
bearer token (gongkai.api.auth.TokenAuth)."""

from ninja import NinjaAPI

from gongkai.accounts.api import router as accounts_router
from gongkai.api import errors
from gongkai.applications.api import router as applications_router
from gongkai.archives.api import router as archives_router
from gongkai.catalog.api_staff import router as catalog_staff_router
from gongkai.inspection.api import router as inspection_router
from gongkai.interaction.api import router as interaction_router
from gongkai.portal.api import router as items_router
from gongkai.reports.api import router as reports_router

api = NinjaAPI(
    title="gongkai API",
    version="1",
    description=(
        "政府信息公开平台接口。公开读取无需登录；工作人员调用使用 `Authorization: Bearer <token>`。"
    ),
    urls_namespace="api",
)
errors.install(api)

api.add_router("", accounts_router)
api.add_router("", applications_router)
api.add_router("", archives_router)
api.add_router("", catalog_staff_router)
api.add_router("", inspection_router)
api.add_router("", interaction_router)
api.add_router("", items_router)
api.add_router("", reports_router)
