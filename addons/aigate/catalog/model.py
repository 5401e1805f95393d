"""Catalog data model: frozen records, cheap to share across requests."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "chat",
    "api",
    "coding",
    "image",
    "video",
    "audio",
    "search",
    "writing",
    "meeting",
    "agent",
    "model-hub",
    "productivity",
)
# "unknown": nobody has assessed the entry yet (e.g. an overlay `aigate catalog import` wrote).
RISKS: tuple[str, ...] = ("low", "medium", "high", "unknown")
API_FORMATS: tuple[str, ...] = (
    "openai",
    "anthropic",
    "gemini",
    "vertex",
    "cohere",
    "bedrock",
    "huggingface",
    "generic",
)


class CatalogError(ValueError):
    """A catalog file is malformed; the message names file, line and fix."""


@dataclass(frozen=True, slots=True)
class Service:
    """One AI service as the policy and the people reading it see it."""

    id: str
    name: str
    vendor: str
    category: str
    hosts: tuple[str, ...]
    jurisdiction: str
    trains_on_inputs: bool | None  # None: not known (the vendor does not say)
    enterprise_tier: bool | None
    risk: str
    risk_reason: str
    url: str
    domains: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    api_format: str | None = None
    description: str = ""
    sources: tuple[str, ...] = ()  # vendor documents the hosts and attributes come from
    source: str = field(default="", compare=False)

    def matches_path(self, path: str) -> int:
        """Length of the longest path prefix this service claims in `path` (in the form of
        `aigate.classify.rule_path`); -1 if none. A service with no `paths` claims the whole host
        (length 0).
        """
        if not self.paths:
            return 0
        best = -1
        for prefix in self.paths:
            prefix = prefix.lower()  # `aigate.classify.rule_path` lowercases the path
            if path.startswith(prefix) and (
                len(path) == len(prefix) or prefix.endswith("/") or path[len(prefix)] in "/?#"
            ):
                best = max(best, len(prefix))
        return best


@dataclass(frozen=True, slots=True)
class Catalog:
    """All known services by id. Classification indexes live in `aigate.classify`."""

    services: dict[str, Service]

    def __len__(self) -> int:
        return len(self.services)

    def get(self, service_id: str) -> Service | None:
        return self.services.get(service_id)

    def by_category(self, category: str) -> list[Service]:
        return [s for s in self.services.values() if s.category == category]
