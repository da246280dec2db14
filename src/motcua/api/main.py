"""The HTTP API (docs/api.md), mounted at ``/api/v1``."""

from ninja.renderers import JSONRenderer

from motcua.api.openapi import MotcuaAPI
from motcua.api import auth, catalog, documents, dossiers, errors, national, payments, questions, ratings, reports, verify


class UTF8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = MotcuaAPI(
    title="Motcua API",
    version="1",
    description="API của hệ thống Một cửa: danh mục thủ tục, hồ sơ, tra cứu, báo cáo.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=UTF8JSONRenderer(),
)
errors.install(api)
api.add_router("", catalog.router)
api.add_router("", auth.router)
api.add_router("", dossiers.router)
api.add_router("", dossiers.public_router)
api.add_router("", documents.router)
api.add_router("", payments.router)
api.add_router("", ratings.router)
api.add_router("", questions.router)
api.add_router("", reports.router)
api.add_router("", national.router)
api.add_router("", verify.router)
