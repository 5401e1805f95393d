"""The company AI policy: typed model, loader with file:line errors, compiled lookups, reload store.

`policies/` at the top of the repository is the one source of the shipped policies and schema;
`shipped/` in this package is a symlink to it, so a built wheel carries a copy as package data.
"""

from pathlib import Path

from aigate.policy.errors import PolicyError, Problem
from aigate.policy.load import load_policy, load_policy_text
from aigate.policy.loaded import LoadedPolicy


def _shipped_dir() -> Path:
    repo = Path(__file__).resolve().parents[3] / "policies"
    return repo if (repo / "default.yaml").is_file() else Path(__file__).parent / "shipped"


SHIPPED_DIR = _shipped_dir()
DEFAULT_POLICY = SHIPPED_DIR / "default.yaml"
SCHEMA_FILE = SHIPPED_DIR / "schema.json"

__all__ = [
    "DEFAULT_POLICY",
    "SCHEMA_FILE",
    "SHIPPED_DIR",
    "LoadedPolicy",
    "PolicyError",
    "Problem",
    "load_policy",
    "load_policy_text",
]
