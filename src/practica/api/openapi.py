"""The OpenAPI document as committed to docs/openapi.json."""

import json

from practica.api.api import api


def render() -> str:
    """The document: sorted keys, two-space indent, a final newline."""
    schema = api.get_openapi_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + (
        "\n"
    )
