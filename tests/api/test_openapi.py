"""The OpenAPI document: served live, committed in docs/openapi.json."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practica.api.openapi import render
from tests.api.conftest import BASE

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

PUBLIC = {
    # Reads of what public communities show to visitors.
    ("get", "/communities/{slug}/events"),
    ("get", "/communities/{slug}/occurrences"),
    ("get", "/communities/{slug}/stories"),
    ("get", "/events/{event_id}"),
    ("get", "/events/{event_id}/occurrences/{key}"),
    ("get", "/stories/{pk}"),
    ("get", "/communities"),
    ("get", "/communities/{slug}"),
    ("get", "/communities/{slug}/members"),
    ("get", "/communities/{slug}/requests"),
    ("get", "/departments"),
    ("get", "/skills"),
    ("get", "/conversations"),
    ("get", "/communities/{slug}/conversations"),
    ("get", "/communities/{slug}/tags"),
    ("get", "/conversations/{conversation_id}"),
    ("get", "/conversations/{conversation_id}/revisions"),
    ("get", "/conversations/{conversation_id}/revisions/diff"),
    ("get", "/replies/{reply_id}"),
    ("get", "/replies/{reply_id}/revisions"),
    ("get", "/replies/{reply_id}/revisions/diff"),
    ("get", "/search/similar"),
    ("get", "/search"),
    ("get", "/communities/{slug}/artifacts"),
    ("get", "/communities/{slug}/glossary"),
    ("get", "/conversations/{conversation_id}/artifacts"),
    ("get", "/artifacts/{artifact_id}"),
    ("get", "/artifacts/{artifact_id}/revisions"),
    ("get", "/artifacts/{artifact_id}/revisions/diff"),
    ("get", "/attachments/{attachment_id}/download"),
}


def test_committed_document_is_current():
    assert COMMITTED.exists(), (
        "docs/openapi.json is missing: run `make openapi`"
    )
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/openapi.json differs from the live API: run `make openapi` "
        "and commit the result."
    )


def test_served_document_matches(client, db):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(render())


def test_every_operation_is_documented():
    schema = json.loads(render())
    paths = {p.removeprefix(BASE): ops for p, ops in schema["paths"].items()}
    assert len(paths) == 135
    for path, operations in paths.items():
        for method, op in operations.items():
            security = op["security"]
            anonymous_ok = {} in security
            assert anonymous_ok == ((method, path) in PUBLIC), (method, path)
            assert {"TokenAuth": []} in security
            assert op["summary"] and op["description"], (method, path)
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == [
                        "application/problem+json"
                    ]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["TokenAuth"]["description"],
    }


def test_output_only_fields_are_not_inputs():
    schemas = json.loads(render())["components"]["schemas"]
    assert "charter_html" not in schemas["CommunityIn"]["properties"]
    assert "charter_html" not in schemas["CommunityPatch"]["properties"]
    assert "introduction_html" not in schemas["ProfilePatch"]["properties"]
    assert "charter_html" in schemas["CommunityDetailOut"]["properties"]


def test_export_command_writes_sorted_indented_document(tmp_path):
    target = tmp_path / "docs" / "openapi.json"
    call_command("export_openapi", str(target))
    text = target.read_text(encoding="utf-8")
    assert text == render()
    assert text.endswith("}\n")
    assert text == json.dumps(
        json.loads(text), sort_keys=True, indent=2, ensure_ascii=False
    ) + ("\n")
    call_command("export_openapi", str(target), "--check")
    target.write_text("{}\n")
    with pytest.raises(CommandError, match="make openapi"):
        call_command("export_openapi", str(target), "--check")
