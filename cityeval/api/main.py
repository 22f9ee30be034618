"""The REST API, mounted at /api/v1/ (docs/api.md)."""

from __future__ import annotations

from ninja import NinjaAPI

from cityeval.api import errors
from cityeval.api.routes import evaluations, reference, results, writes

api = NinjaAPI(
    title="cityeval API",
    version="1",
    description=(
        "Data evaluasi kota cerdas: kerangka, daerah, siklus, evaluasi dan butirnya, hasil "
        "terbit; penilaian mandiri, tautan bukti dukung dan keputusan asesor. Autentikasi: "
        "`Authorization: Bearer <token>` dengan token akses pribadi dari halaman profil."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", reference.router)
api.add_router("", evaluations.router)
api.add_router("", writes.router)
api.add_router("", results.router)
