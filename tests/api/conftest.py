"""An API client that signs requests with a personal access token."""

import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from practica.accounts import services
from practica.accounts.models import User

BASE = "/api/v1"
PROBLEM = "application/problem+json"


class Api:
    """Calls /api/v1 as a person (a fresh token each) or anonymously."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.pk not in self._tokens:
            _, raw = services.token_create(actor=user, name="tests")
            self._tokens[user.pk] = raw
        return self._tokens[user.pk]

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        user: User | None = None,
        headers: dict[str, str] | None = None,
        **query: Any,
    ) -> HttpResponse:
        headers = dict(headers or {})
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        kwargs: dict[str, Any] = {"headers": headers}
        if method == "get":
            kwargs["data"] = query
        else:  # body None sends no body at all, as `curl -X POST` does
            if body is None:
                kwargs["data"] = ""
            elif isinstance(body, str):
                kwargs["data"] = body
            else:
                kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(BASE + path, **kwargs)

    def get(self, path: str, **kw: Any) -> HttpResponse:
        return self.call("get", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> HttpResponse:
        return self.call("post", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> HttpResponse:
        return self.call("patch", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> HttpResponse:
        return self.call("put", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> HttpResponse:
        return self.call("delete", path, **kw)


@pytest.fixture
def api(client: Client, db: None) -> Api:
    return Api(client)


def ok(response: HttpResponse, status: int = 200) -> Any:
    """The JSON body of a successful response, after checking its status."""
    assert response.status_code == status, response.content.decode()
    if status == 204:
        assert response.content == b""
        return None
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def problem(
    response: HttpResponse, status: int, *fields: str
) -> dict[str, Any]:
    """Check an RFC 9457 problem document and the fields it names."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert set(body) <= {"type", "title", "status", "detail", "errors"}
    if fields:
        assert set(fields) <= set(body["errors"]), body
        for name in fields:
            assert all(isinstance(m, str) and m for m in body["errors"][name])
    else:
        assert "errors" not in body, body
    return body
