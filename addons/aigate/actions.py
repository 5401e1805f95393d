"""The one order of actions, access decisions and DLP verdicts on one scale, and how the two
combine. Everything that compares actions (the proxy, explain, replay, the DLP rules, the policy
document) reads it here."""

from __future__ import annotations

STRICTNESS: dict[str, int] = {
    "passthrough": 0,
    "allow": 1,
    "log": 2,
    "warn": 3,
    "redirect": 4,
    "redact": 5,
    "block": 6,
}
# Access decisions under which the request body reaches the service (so DLP applies).
FORWARDED_ACCESS: frozenset[str] = frozenset({"allow", "warn"})
# DLP verdicts that forward the request unchanged, whatever the access decision was.
_DLP_PASSES: frozenset[str] = frozenset({"allow", "log"})


def stricter(a: str, b: str) -> str:
    """The stricter of two actions; on a tie, `a`."""
    return b if STRICTNESS[b] > STRICTNESS[a] else a


def final_action(access: str, dlp: str | None) -> str:
    """What happens to a request: the DLP verdict when it is stricter than the access decision
    (`log` and `allow` forward as decided); a body that never leaves has no DLP verdict."""
    if dlp is None or dlp in _DLP_PASSES or access not in FORWARDED_ACCESS:
        return access
    return stricter(access, dlp)
