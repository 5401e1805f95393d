"""Amazon Bedrock: Converse (`messages[].content[].text`, `system[].text`) and InvokeModel, whose
body is the model's own shape (Anthropic messages, Titan `inputText`, Llama/Mistral `prompt`)."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "bedrock",
    roots=("messages", "system", "prompt", "inputText", "input", "texts"),
    api_formats=("bedrock",),
)
