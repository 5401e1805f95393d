"""Amazon Bedrock: Converse (`messages[].content[].text`, `system[].text`) and InvokeModel, whose
body is the model's own shape (Anthropic messages, Titan `inputText`, Llama/Mistral `prompt`)."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("messages", "system", "prompt", "inputText", "input", "texts"))


EXTRACTOR = Extractor("bedrock", leaves, api_formats=("bedrock",))
