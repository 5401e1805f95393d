"""The URL of a request is content too: a key pasted into a query string (`?note=AKIA...`) or a
path leaves the client like a prompt does. `url_segments` turns the request target into texts to
scan (the path, each query value, percent-decoded, and the parameters' names); `redact_url`
rebuilds the target with the findings in those texts replaced, everything else as it was sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode

from aigate.inspect.redact import RedactionError, redact_text
from aigate.inspect.result import Finding, Segment

URL_KIND = "url"


def url_segments(target: str) -> tuple[Segment, ...]:
    """The path (when it is more than `/`) and every query value of `target`, decoded. Not
    cached: the decoded values may hold the very secret the scan is for."""
    path, _, query = target.partition("?")
    segments = []
    if len(path) > 1:
        segments.append(Segment(unquote(path), ((URL_KIND, "path"),)))
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        segments += [
            Segment(value, ((URL_KIND, "query", index),))
            for index, (_, value) in enumerate(pairs)
            if value
        ]
        names = "\n".join(dict.fromkeys(name for name, _ in pairs if name))
        if names:  # `?AKIA...=1` sends a key as well: the names, one a line, as one text
            segments.append(Segment(names, ((URL_KIND, "names"),)))
    return tuple(segments)


def is_url_segment(segment: Segment) -> bool:
    return bool(segment.locator) and segment.locator[0][0] == URL_KIND


def redact_url(target: str, segments: tuple[Segment, ...], findings: Iterable[Finding]) -> str:
    """`target` with the findings in its URL segments replaced (`[REDACTED:kind]`);
    RedactionError for a finding in a parameter's name, which is not rewritten."""
    by_segment: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.segment < len(segments) and is_url_segment(segments[finding.segment]):
            by_segment[finding.segment].append(finding)
    if not by_segment:
        return target
    path, sep, query = target.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True) if query else []
    for index, found in by_segment.items():
        segment = segments[index]
        text = redact_text(segment.text, found)
        step = segment.locator[0]
        if step[1] == "names":
            raise RedactionError("a query parameter's name cannot be rewritten in place")
        if step[1] == "path":
            path = quote(text, safe="/;=,@:+$!*'()~")
        else:
            name, _ = pairs[step[2]]
            pairs[step[2]] = (name, text)
    return path + (sep + urlencode(pairs) if pairs else "")
