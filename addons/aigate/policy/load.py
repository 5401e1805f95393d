"""Read a policy file: YAML -> typed model -> checks against the catalog -> compiled policy.

Every problem is collected (not just the first) and names file, line, key path and a fix.
Structure and types are checked first (pydantic); the cross-references and shadowing checks in
`aigate.policy.validate` need a well-typed policy, so they run once the structure is right.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from aigate.catalog import Catalog, CatalogError, default_catalog, load_catalog
from aigate.classify import Classifier
from aigate.endpoints import with_unlisted
from aigate.policy.errors import PolicyError, Problem, format_path
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.model import Policy
from aigate.policy.validate import check_policy
from aigate.yamlfile import KeyPath, YamlDocument, YamlError, parse_yaml

_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<message>.*)$", re.S)


def load_policy(path: str | Path, catalog: Catalog | None = None) -> LoadedPolicy:
    """Load, validate and compile the policy at `path`; raises `PolicyError`.

    `catalog` replaces the shipped catalog as the base (tests); the policy's `catalog:` files
    are merged on top either way.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PolicyError(
            [Problem(str(path), 1, "", f"cannot read policy: {e.strerror or e}")]
        ) from e
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PolicyError([Problem(str(path), 1, "", "the policy must be UTF-8 text")]) from e
    return _load(text, str(path), path, hashlib.sha256(raw).hexdigest(), catalog)


def load_policy_text(
    text: str,
    file: str = "<string>",
    base_dir: Path | None = None,
    catalog: Catalog | None = None,
) -> LoadedPolicy:
    """Load a policy from a string (tests, editors); `catalog:` files resolve against `base_dir`."""
    path = base_dir / file if base_dir is not None else None
    return _load(text, file, path, hashlib.sha256(text.encode("utf-8")).hexdigest(), catalog)


def _load(
    text: str, file: str, path: Path | None, sha256: str, base: Catalog | None
) -> LoadedPolicy:
    try:
        doc = parse_yaml(text, file)
    except YamlError as e:
        raise PolicyError([Problem(e.file, e.line, "", e.message)]) from e
    if not isinstance(doc.data, dict):
        raise PolicyError(
            [Problem(file, 1, "", "a policy is a mapping with organisation, version, contact, ...")]
        )
    try:
        policy = Policy.model_validate(doc.data)
    except ValidationError as e:
        raise PolicyError(structure_problems(doc, e)) from e
    catalog, catalog_problems = _catalog(policy, doc, path, base or default_catalog())
    if catalog_problems:
        raise PolicyError(catalog_problems)
    shipped = catalog is default_catalog()
    catalog = _shipped_with_unlisted() if shipped else with_unlisted(catalog)
    problems = check_policy(policy, catalog, doc, path.parent if path is not None else None)
    if problems:
        raise PolicyError(problems)
    classifier = _default_classifier() if shipped else Classifier(catalog)
    if path is not None:
        sha256 = _with_named_files(sha256, policy, path.parent)
    return LoadedPolicy.compile(policy, path, catalog, classifier, sha256)


def _with_named_files(sha256: str, policy: Policy, base: Path) -> str:
    """The policy's hash, extended over the catalog and digest files it names: records and
    metrics then name a different policy whenever any file its decisions come from changed.
    A policy that names no files keeps the plain sha256 of its file."""
    names = [*policy.catalog, *(entry.file for entry in policy.dlp.exact_match)]
    if not names:
        return sha256
    digest = hashlib.sha256(sha256.encode())
    for name in names:
        try:
            digest.update(hashlib.sha256((base / name).read_bytes()).digest())
        except OSError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


@cache
def _shipped_with_unlisted() -> Catalog:
    """The shipped catalog plus the unlisted-endpoint pseudo-service, shared by every load."""
    return with_unlisted(default_catalog())


@cache
def _default_classifier() -> Classifier:
    """One classifier for the shipped catalog per process: reloads keep its host cache warm."""
    return Classifier(default_catalog())


def _catalog(
    policy: Policy, doc: YamlDocument, path: Path | None, base: Catalog
) -> tuple[Catalog, list[Problem]]:
    if not policy.catalog:
        return base, []
    folder = path.parent if path is not None else Path.cwd()
    files = [folder / name for name in policy.catalog]
    problems = []
    for index, file in enumerate(files):
        if not file.is_file():
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(("catalog", index)),
                    f"catalog[{index}]",
                    f"catalog file '{file}' not found; paths are relative to the policy file",
                )
            )
    if problems:
        return base, problems
    try:
        extra = load_catalog(files)
    except CatalogError as e:
        located = _LOCATED.match(str(e))
        if located:
            problem = Problem(located["file"], int(located["line"]), "", located["message"])
        else:
            problem = Problem(doc.file, doc.line_of(("catalog",)), "catalog", str(e))
        return base, [problem]
    return Catalog({**base.services, **extra.services}), []


def structure_problems(
    doc: YamlDocument, error: ValidationError, root: type[BaseModel] = Policy
) -> list[Problem]:
    """pydantic errors as located problems; a misspelt required key is one problem, not two.
    `root` is the model `doc` was validated as (policy test cases reuse this)."""
    problems = []
    suggested: set[KeyPath] = set()
    items = error.errors()
    for item in items:
        if item["type"] != "extra_forbidden":
            continue
        parent, key = item["loc"][:-1], item["loc"][-1]
        allowed = _fields_at(parent, root)
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if hint:
            suggested.add((*parent, hint[0]))
            fix = f"did you mean '{hint[0]}'?"
        else:
            fix = f"allowed keys: {', '.join(allowed)}"
        line = doc.line_of(item["loc"])
        problems.append(Problem(doc.file, line, format_path(parent), f"unknown key '{key}'; {fix}"))
    for item in items:
        loc: KeyPath = tuple(p for p in item["loc"] if p != "[key]")
        kind = item["type"]
        if kind == "extra_forbidden" or loc in suggested:
            continue
        if kind == "missing":
            line, key_path = doc.line_of(loc[:-1]), format_path(loc[:-1])
            message = f"missing required key '{loc[-1]}'"
        else:
            line, key_path = doc.line_of(loc), format_path(loc)
            message = _type_message(item, "[key]" in item["loc"])
        problems.append(Problem(doc.file, line, key_path, message))
    return sorted(problems, key=lambda p: p.line)


def _type_message(item: Any, key_is_wrong: bool) -> str:
    kind, value = item["type"], item.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if key_is_wrong and kind == "string_pattern_mismatch":
        return f"name {shown} must be lowercase letters, digits, '-' or '_'"
    if kind == "string_pattern_mismatch":
        return f"{shown} must be lowercase letters, digits, '-' or '_'"
    if kind == "string_type":
        hint = "; quote it" if isinstance(value, int | float | bool) else ""
        return f"expected text, got {shown}{hint}"
    if kind == "too_short":
        return f"is empty; give at least {item['ctx']['min_length']} entry"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", item.get("ctx", {}).get("expected", ""))
        hint = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        fix = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"{shown} is not one of {', '.join(options)}{fix}"
    return f"{item['msg']} (got {shown})"


def _fields_at(path: KeyPath, root: type[BaseModel] = Policy) -> list[str]:
    """Field names of the model found at `path` in the policy, for "did you mean" hints."""
    node: Any = root
    for part in path:
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part))
            if field is None:
                return []
            node = field.annotation
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        elif typing.get_origin(node) is list:
            node = typing.get_args(node)[0]
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _unwrap(node: Any) -> Any:
    """`X | None` -> X; `Annotated[X, ...]` -> X."""
    if typing.get_origin(node) is typing.Annotated:
        return typing.get_args(node)[0]
    if isinstance(node, types.UnionType) or typing.get_origin(node) is typing.Union:
        args = [a for a in typing.get_args(node) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else node
    return node
