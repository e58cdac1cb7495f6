"""The API at /api/v1/: one ninja router per app, problem+json errors."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from practica.accounts.api import router as accounts_router
from practica.analytics.api import router as analytics_router
from practica.api import auth, problems
from practica.communities.api import router as communities_router
from practica.conversations.api import router as conversations_router
from practica.events.api import router as events_router
from practica.mentoring.api import router as mentoring_router
from practica.notifications.api import router as notifications_router
from practica.repertoire.api import router as repertoire_router
from practica.search.api import router as search_router
from practica.transfer.api import router as transfer_router

DESCRIPTION = """\
The Practica API: the same rules as the web pages, for scripts and tools.

Authenticate with a personal access token (`Authorization: Bearer pra_…`,
created at `POST /me/tokens` from a signed-in browser session) or with the
web session (writes then need the `X-CSRFToken` header). Errors are
`application/problem+json` documents (RFC 9457); lists are keyset pages
`{items, next_cursor}`: pass `next_cursor` back as `cursor` for the next
page. See docs/api.md.
"""


class PracticaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Views are named <entity>_<verb>, unique across the apps.
        return operation.view_func.__name__

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        for path in schema["paths"].values():
            for operation in path.values():
                # The docstring's first line is the operation's summary.
                lines = operation.get("description", "").splitlines()
                if lines:
                    operation["summary"] = lines[0].rstrip(".")
                # Error bodies are problem documents, not plain JSON.
                for code, response in operation["responses"].items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[problems.MEDIA_TYPE] = content.pop(
                            "application/json"
                        )
        return schema


api = PracticaAPI(
    title="Practica API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=auth.REQUIRED,
)
problems.install(api)
api.add_router("", communities_router)
api.add_router("", accounts_router)
api.add_router("", conversations_router)
api.add_router("", repertoire_router)
api.add_router("", events_router)
api.add_router("", mentoring_router)
api.add_router("", notifications_router)
api.add_router("", analytics_router)
api.add_router("", search_router)
api.add_router("", transfer_router)
