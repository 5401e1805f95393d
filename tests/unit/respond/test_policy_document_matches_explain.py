"""The policy document states what the proxy enforces: for every service in the catalog, what
the rendered document says happens is what `aigate explain https://<its host>/` says (the same
pure function the CLI prints), on every shipped policy."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from aigate.catalog import Service
from aigate.endpoints import UNLISTED_ID
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from aigate.respond.document import render_policy
from aigate.respond.document.labels import ACTION_LABEL, UNLISTED_NAME
from aigate.whatif.explain import explain_request, request_facts

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(
    [ROOT / "policies" / "default.yaml", *(ROOT / "policies" / "examples").glob("*.yaml")]
)
ACTION_OF_LABEL = {label: action for action, label in ACTION_LABEL.items()}
TABLE_ACTION = {
    "Approved tools": "allow",
    "Tools to use with care": "warn",
    "Redirected tools": "redirect",
    "Blocked tools": "block",
}


class _Document(HTMLParser):
    """What the rendered page says per service: the full lists (inside `<details>`: a group's
    status label, then its names) and the rows of the tool tables (under their h3)."""

    def __init__(self) -> None:
        super().__init__()
        self.listed: dict[str, tuple[str, str]] = {}  # name -> (status label, group label)
        self.tables: dict[str, tuple[str, str]] = {}  # name -> (table heading, row text)
        self._tag: str | None = None
        self._text: list[str] = []
        self._status = ""
        self._group = ""
        self._heading = ""
        self._in_details = False
        self._in_body = False
        self._row: list[str] | None = None
        self._name: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "details":
            self._in_details = True
        elif tag in ("h3", "p", "li"):
            self._tag, self._text = tag, []
            if tag == "p":
                self._status = ""
        elif tag == "span" and "status" in (values.get("class") or "") and self._tag == "p":
            self._status = "?"  # the next text is the label
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row, self._name = [], None

    def handle_data(self, data: str) -> None:
        if self._status == "?":
            self._status = data
        if self._tag is not None:
            self._text.append(data)
        if self._row is not None:
            if self._name is None and data.strip():
                self._name = data  # a row's first text: the tool's name (its link)
            self._row.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text)
        if tag == "details":
            self._in_details = False
        elif tag == "tbody":
            self._in_body = False
        elif tag == "h3" and self._tag == "h3":
            self._heading, self._tag = text, None
        elif tag == "p" and self._tag == "p":
            self._group, self._tag = text, None
        elif tag == "li" and self._tag == "li":
            if self._in_details:
                name = text.split(" (for the ", 1)[0]
                assert name not in self.listed, f"{name} is listed twice"
                self.listed[name] = (self._status, self._group)
            self._tag = None
        elif tag == "tr" and self._row is not None:
            if self._heading in TABLE_ACTION and self._name is not None:
                self.tables[self._name] = (self._heading, "".join(self._row))
            self._row = None


def _document(loaded: LoadedPolicy) -> _Document:
    parsed = _Document()
    parsed.feed(render_policy(loaded, "html"))
    return parsed


def _url(service: Service) -> str:
    """A URL the proxy classifies as `service`: a host of it, on the first path it claims."""
    if service.id == UNLISTED_ID:  # any host outside the catalog calling a model API
        return "http://192.0.2.10/v1/chat/completions"
    host = next((h for h in service.hosts if "*" not in h), service.hosts[0].replace("*", "x"))
    return f"https://{host}{service.paths[0] if service.paths else '/'}"


def _explain(loaded: LoadedPolicy, url: str, user: str | None = None) -> dict:
    facts = request_facts(loaded, url, user, None, "GET")
    return explain_request(loaded, url, facts, None, {})


def _name(service: Service) -> str:
    return UNLISTED_NAME if service.id == UNLISTED_ID else service.name


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda p: p.name)
def shipped(request: pytest.FixtureRequest) -> tuple[LoadedPolicy, _Document]:
    loaded = load_policy(request.param)
    return loaded, _document(loaded)


def test_every_catalog_service_is_listed_with_what_explain_says(shipped) -> None:
    loaded, document = shipped
    mismatches = []
    for service in loaded.catalog.services.values():
        url = _url(service)
        report = _explain(loaded, url)
        assert report["service"] == service.id, f"{url} is not {service.id}"
        status, group = document.listed[_name(service)]
        shown = ACTION_OF_LABEL[status]
        if shown != report["action"]:
            mismatches.append(f"{service.id}: document {shown}, explain {report['action']}")
        if report["rule"].startswith("training."):
            assert "until you complete the training" in group
        if report["redirect_url"]:
            assert group.startswith(f"{status} to ")
    assert mismatches == []
    assert len(document.listed) == len(loaded.catalog)


def test_named_tools_sit_in_the_table_of_what_explain_says(shipped) -> None:
    """A tool behind a training sits in the table of its rule, saying it is blocked until then:
    explain blocks it for an untrained person and applies the rule for one who completed it."""
    loaded, document = shipped
    policy = loaded.policy
    assert set(document.tables) == {_name(loaded.catalog.services[sid]) for sid in policy.services}
    for sid in policy.services:
        service = loaded.catalog.services[sid]
        heading, row = document.tables[_name(service)]
        report = _explain(loaded, _url(service))
        training = policy.services[sid].requires_training
        if training is None:
            assert TABLE_ACTION[heading] == report["action"], sid
            continue
        assert report["action"] == "block" and report["rule"] == f"training.{training}"
        assert "until then Blocked" in row
        trained = policy.training[training].completed_by.users
        if trained:
            assert TABLE_ACTION[heading] == _explain(loaded, _url(service), trained[0])["action"]


def test_approved_tools_come_in_the_policy_order() -> None:
    loaded = load_policy(ROOT / "policies" / "default.yaml")
    approved = [name for name, (heading, _) in _document(loaded).tables.items()
                if heading == "Approved tools"]
    assert approved[0] == "Microsoft 365 Copilot"  # the main approved tool, first in the policy
    in_policy = [loaded.catalog.services[sid].name for sid, rule in loaded.policy.services.items()
                 if rule.action == "allow"]
    assert approved == in_policy
