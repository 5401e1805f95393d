"""The JSON Schema of the policy YAML, generated from the same pydantic model that validates it,
so editors autocomplete exactly what the loader accepts."""

from __future__ import annotations

import json
from typing import Any

from aigate.policy.model import Policy

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def policy_schema() -> dict[str, Any]:
    schema = Policy.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "title": "aigate policy", **schema}


def schema_text() -> str:
    """The schema as checked in at policies/schema.json (stable key order, trailing newline)."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"
