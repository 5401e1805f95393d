"""YAML loading that remembers where every value came from.

Admins edit YAML by hand; an error that says "line 42, services.chatgtp" is what makes a
mistake quick to fix. `load_yaml` returns plain Python data plus a map from key path to line,
and refuses duplicate keys (a silent override in plain YAML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


class YamlError(ValueError):
    """Malformed YAML; `str()` is `file:line: message`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    lines: dict[KeyPath, int]
    file: str

    def line_of(self, path: KeyPath) -> int:
        """Line of the deepest known prefix of `path` (1-based; 1 when nothing is known)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def load_yaml(path: str | Path) -> YamlDocument:
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise YamlError(file, 1, f"cannot read file: {e.strerror or e}") from e
    return parse_yaml(text, file)


def parse_yaml(text: str, file: str = "<string>") -> YamlDocument:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(file, line, f"invalid YAML: {e.problem or e}") from e
    lines: dict[KeyPath, int] = {}
    if node is None:
        return YamlDocument(None, {(): 1}, file)
    data = _build(node, (), lines, file)
    return YamlDocument(data, lines, file)


def _build(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, file)
            if key in out:
                raise YamlError(
                    file,
                    key_node.start_mark.line + 1,
                    f"duplicate key '{key}' (first at line {lines[(*path, key)]}); "
                    "keep one entry",
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return _scalar(node, file)


_STR_TAG = "tag:yaml.org,2002:str"
_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors


def _scalar(node: yaml.Node, file: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlError(file, node.start_mark.line + 1, "a key must be a plain value")
    if node.tag == _STR_TAG:  # most values: the text itself
        return node.value
    construct = _CONSTRUCTORS.get(node.tag) or _CONSTRUCTORS[None]
    return construct(yaml.constructor.SafeConstructor(), node)
