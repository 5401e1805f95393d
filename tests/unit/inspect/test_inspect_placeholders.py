"""Examples and placeholders never block: a secret-shaped value someone typed or templated is
set aside and reported as an ignored example, never as a finding."""

import pytest
from aigate.inspect.detectors.base import is_placeholder
from aigate.inspect.engine import Scanner
from inspect_helpers import ALNUM, rand

SCANNER = Scanner(key=b"test")


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "your-api-key-here",
        "YOUR_API_KEY",
        "<api-key>",
        "${OPENAI_API_KEY}",
        "{{ secrets.TOKEN }}",
        "xxxxxxxxxxxxxxxx",
        "sk-proj-abcdefghijklmnop",
        "ghp_1234567890abcdefghij",
        "glpat-aaaaaaaaaaaaaaaaaaaa",
        "sk_live_qwertyuiopasdfgh",
        "changeme",
        "fake-token-for-tests",
        "sample_secret_value",
    ],
)
def test_typed_and_templated_values_are_placeholders(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("seed", range(20))
def test_random_tokens_are_not_placeholders(seed):
    assert not is_placeholder("ghp_" + rand(ALNUM, 36, seed=seed))


@pytest.mark.parametrize(
    "text",
    [
        "my key is glpat-aaaaaaaaaaaaaaaaaaaa",
        "export OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    ],
)
def test_a_placeholder_secret_is_reported_as_ignored_not_found(text):
    ignored: list[tuple[str, str]] = []
    assert SCANNER.scan(text, ignored) == []
    assert ignored, "the example should be reported as ignored"
