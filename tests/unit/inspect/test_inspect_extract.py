"""Every extractor: it finds the prompt in its own format first, then every other text of the
request, and ignores structure (ids, roles, model names); selection by host/path and
api_format; the generic fallback; a document's keys."""

import json
from urllib.parse import urlencode

import pytest
from aigate.inspect import RedactionError, build_scanner, inspect_request, redact_request
from aigate.inspect.extract import extract, extract_ws, registry
from aigate.inspect.result import KEYS_STEP, NAMES_STEP
from aigate.policy import DEFAULT_POLICY, load_policy

P = "PLANTED-PROMPT"
CARD_NUMBER = "4111 1111 1111 1111"
SCANNER = build_scanner(load_policy(DEFAULT_POLICY).policy.dlp)


def _texts(extraction):
    return [s.text for s in extraction.segments]


def _j(obj) -> bytes:
    return json.dumps(obj).encode()


# name -> (request kwargs, body, the prompt's texts, structure that is not text)
HTTP_CASES = {
    "openai": (
        {"api_format": "openai"},
        _j(
            {
                "model": "gpt-4o",
                "messages": [
                    {"role": "system", "content": "be brief"},
                    {"role": "user", "content": [{"type": "text", "text": P}]},
                ],
            }
        ),
        [P, "be brief"],
        ["gpt-4o", "system", "user"],
    ),
    "openai responses": (
        {"api_format": "openai"},
        _j(
            {
                "model": "gpt-4.1",
                "instructions": "sys",
                "input": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "input_text", "text": P},
                            {"type": "input_image", "image_url": "data:image/png;base64,AAAA"},
                        ],
                    }
                ],
            }
        ),
        [P, "sys"],
        ["gpt-4.1", "input_text"],
    ),
    "anthropic": (
        {"api_format": "anthropic"},
        _j(
            {
                "model": "claude-x",
                "system": [{"type": "text", "text": "S"}],
                "messages": [
                    {
                        "role": "user",
                        "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": P}],
                    }
                ],
            }
        ),
        [P, "S"],
        ["tu_1", "claude-x"],
    ),
    "gemini": (
        {"api_format": "gemini"},
        _j(
            {
                "contents": [{"role": "user", "parts": [{"text": P}]}],
                "systemInstruction": {"parts": [{"text": "S"}]},
                "generationConfig": {"x": "cfg"},
            }
        ),
        [P, "S"],
        ["user"],
    ),
    "vertex": ({"api_format": "vertex"}, _j({"contents": [{"parts": [{"text": P}]}]}), [P], []),
    "bedrock converse": (
        {"api_format": "bedrock"},
        _j(
            {
                "messages": [{"role": "user", "content": [{"text": P}]}],
                "system": [{"text": "S"}],
                "inferenceConfig": {"stopSequences": ["stop"]},
            }
        ),
        [P, "S"],
        [],
    ),
    "bedrock invoke titan": (
        {"api_format": "bedrock"},
        _j({"inputText": P, "textGenerationConfig": {}}),
        [P],
        [],
    ),
    "cohere v1": (
        {"api_format": "cohere"},
        _j(
            {
                "message": P,
                "chat_history": [{"role": "USER", "message": "earlier"}],
                "model": "command-r",
            }
        ),
        [P, "earlier"],
        ["command-r", "USER"],
    ),
    "cohere v2": (
        {"api_format": "cohere"},
        _j({"messages": [{"role": "user", "content": P}]}),
        [P],
        [],
    ),
    "huggingface": (
        {"api_format": "huggingface"},
        _j({"inputs": {"question": P, "context": "ctx"}, "options": {"wait_for_model": "yes"}}),
        [P, "ctx"],
        [],
    ),
    "chatgpt web": (
        {"host": "chatgpt.com", "path": "/backend-api/f/conversation"},
        _j(
            {
                "action": "next",
                "messages": [
                    {
                        "id": "m1",
                        "author": {"role": "user"},
                        "content": {"content_type": "text", "parts": [P]},
                    }
                ],
                "model": "auto",
            }
        ),
        [P],
        ["auto", "m1"],
    ),
    "claude web": (
        {"host": "claude.ai", "path": "/api/organizations/o1/chat_conversations/c1/completion"},
        _j(
            {
                "prompt": P,
                "timezone": "UTC",
                "attachments": [{"file_name": "a.txt", "extracted_content": "ATTACHED"}],
            }
        ),
        [P, "ATTACHED"],
        [],
    ),
    "gemini web": (
        {
            "host": "gemini.google.com",
            "content_type": "application/x-www-form-urlencoded",
            "path": "/_/BardChatUi/data/assistant.lamda.BardFrontendService/StreamGenerate",
        },
        urlencode(
            {"f.req": json.dumps([None, json.dumps([[P, 0, None], ["en"]])]), "at": "tok"}
        ).encode(),
        [P, "en"],
        [],
    ),
    "deepseek web": (
        {"host": "chat.deepseek.com", "path": "/api/v0/chat/completion"},
        _j({"chat_session_id": "s1", "prompt": P, "ref_file_ids": []}),
        [P],
        [],
    ),
    "perplexity web": (
        {"host": "www.perplexity.ai", "path": "/rest/sse/perplexity_ask"},
        _j({"query_str": P, "params": {"mode": "concise"}}),
        [P],
        [],
    ),
    "poe web": (
        {"host": "poe.com", "path": "/api/gql_POST"},
        _j(
            {
                "queryName": "sendMessageMutation",
                "variables": {"bot": "GPT-4o", "chatId": 1, "query": P, "clientNonce": "n1"},
            }
        ),
        [P],
        [],
    ),
    "generic json": ({"host": "ai.unknown"}, _j({"a": {"b": [P]}, "n": 1}), [P], []),
    "generic form": (
        {"content_type": "application/x-www-form-urlencoded"},
        urlencode({"q": P}).encode(),
        [P],
        [],
    ),
    "generic text": ({"content_type": "text/plain"}, P.encode(), [P], []),
}

WS_CASES = {
    "copilot web": (
        "copilot.microsoft.com",
        {"event": "send", "conversationId": "c1", "content": [{"type": "text", "text": P}]},
        [P],
        [],
    ),
    "characterai web": (
        "neo.character.ai",
        {
            "command": "create_and_generate_turn",
            "payload": {
                "turn": {"turn_key": {"chat_id": "x1"}, "candidates": [{"raw_content": P}]}
            },
        },
        [P],
        [],
    ),
}


EXTRACTOR_OF = {
    "openai responses": "openai",
    "vertex": "gemini",
    "bedrock converse": "bedrock",
    "bedrock invoke titan": "bedrock",
    "cohere v1": "cohere",
    "cohere v2": "cohere",
    "generic form": "form",
    "generic text": "text",
}


def _expected(name: str) -> str:
    return EXTRACTOR_OF.get(name, name.replace(" ", "_"))


# Texts of each case outside the prompt: fields the format does not name, read after it.
REST = {
    "gemini": ["cfg"],
    "bedrock converse": ["stop"],
    "huggingface": ["yes"],
    "chatgpt web": ["next"],
    "claude web": ["UTC", "a.txt"],
    "gemini web": ["tok"],
    "deepseek web": ["s1"],
    "perplexity web": ["concise"],
    "poe web": ["GPT-4o", "n1", "sendMessageMutation"],
    "copilot web": ["c1"],
    "characterai web": ["x1"],
}


def _prompt_then_the_rest(name: str, texts: list[str], present: list[str], absent: list[str]):
    for text in absent:
        assert text not in texts
    rest = REST.get(name, [])
    for text in [*present, *rest]:
        assert text in texts
    if rest:
        assert max(map(texts.index, present)) < min(map(texts.index, rest))


@pytest.mark.parametrize("name", list(HTTP_CASES))
def test_http_extractor_reads_the_prompt_first_then_every_other_text_but_structure(name):
    kwargs, body, present, absent = HTTP_CASES[name]
    kwargs = {"content_type": "application/json", **kwargs}
    extraction = extract(body, **kwargs)
    assert extraction.extractor == _expected(name)
    _prompt_then_the_rest(name, _texts(extraction), present, absent)


@pytest.mark.parametrize("name", list(WS_CASES))
def test_websocket_extractor_reads_the_prompt_first_then_every_other_text(name):
    host, message, present, absent = WS_CASES[name]
    extraction = extract_ws(json.dumps(message), host=host)
    assert extraction.extractor == _expected(name)
    _prompt_then_the_rest(name, _texts(extraction), present, absent)


def test_every_registered_extractor_has_a_case():
    tested = {_expected(name) for name in [*HTTP_CASES, *WS_CASES]}
    assert {ex.name for ex in registry()} <= tested


def test_copilot_events_other_than_send_are_scanned_generically():
    extraction = extract_ws(
        json.dumps({"event": "setOptions", "x": P}), host="copilot.microsoft.com"
    )
    assert extraction.extractor == "generic_json" and P in _texts(extraction)


def test_unknown_api_shape_falls_back_to_every_json_string():
    extraction = extract(
        _j({"weird": {"prompt_text": P}}), api_format="openai", content_type="application/json"
    )
    assert extraction.extractor == "generic_json" and P in _texts(extraction)


def test_images_in_json_are_recorded_as_unscanned_not_clean():
    body = _j(
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image_url",
                            "image_url": {"url": "data:image/png;base64," + "A" * 400},
                        }
                    ],
                }
            ]
        }
    )
    extraction = extract(body, api_format="openai", content_type="application/json")
    assert extraction.unscanned and "not scanned" in extraction.unscanned[0]


def test_binary_websocket_message_is_unscanned():
    assert extract_ws(b"\xff\xfe\x00").unscanned == ("binary WebSocket message",)


def test_multipart_text_fields_and_file_parts_are_extracted():
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n{P}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nFILE-TEXT\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="img"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n\x89PNG....\r\n--{boundary}--\r\n"
    ).encode("latin-1")
    extraction = extract(body, content_type=f"multipart/form-data; boundary={boundary}")
    # the fields' and files' names last, as one text
    assert _texts(extraction) == [P, "FILE-TEXT", "prompt\nfile\nnotes.txt\nimg\na.png"]
    assert extraction.segments[1].locator == (("part", 1), ("file", "notes.txt"))
    assert extraction.segments[2].locator == (NAMES_STEP,)
    assert any("a.png" in reason for reason in extraction.unscanned)


def test_raw_binary_upload_is_unscanned_with_a_reason():
    extraction = extract(
        b"\x00\x01\x02binary", path="/v1/files/upload", content_type="application/octet-stream"
    )
    assert extraction.segments == () and extraction.unscanned


def test_a_documents_keys_are_read_once_each_as_one_text():
    body = _j({"model": "m", "messages": [{"role": "user", "content": P},
                                          {"role": "assistant", "content": "ok"}]})
    extraction = extract(body, content_type="application/json", api_format="openai")
    (keys,) = [s for s in extraction.segments if s.locator == (KEYS_STEP,)]
    assert keys.text == "model\nmessages\nrole\ncontent"
    assert extraction.segments[0].text == P  # the prompt first


@pytest.mark.parametrize(
    "doc",
    [
        {"messages": [{"role": "user", "content": "hi"}],
         "tools": [{"type": "function", "function": {"name": "f", "parameters": {
             "type": "object", "properties": {f"card {CARD_NUMBER}": {"type": "string"}}}}}]},
        {"messages": [{"role": "user", "content": "hi"}], "metadata": {CARD_NUMBER: "x"}},
        {CARD_NUMBER: 1},
    ],
    ids=["tool-parameter-name", "metadata-key", "generic-json-key"],
)
def test_a_card_in_a_key_is_found_and_cannot_be_redacted_so_blocks(doc):
    inspection = inspect_request(SCANNER, body=_j(doc), content_type="application/json",
                                 api_format="openai")
    (found,) = [f for f in inspection.findings if f.detector == "credit_card"]
    assert inspection.extraction.segments[found.segment].locator == (KEYS_STEP,)
    with pytest.raises(RedactionError):
        redact_request(inspection, "application/json")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (f"{CARD_NUMBER}=1&q=hi".encode(), "application/x-www-form-urlencoded"),
        (b'--XX\r\nContent-Disposition: form-data; name="q"; filename="card '
         + CARD_NUMBER.encode() + b'.txt"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XX--\r\n',
         "multipart/form-data; boundary=XX"),
    ],
    ids=["form-field-name", "file-name"],
)
def test_a_card_in_a_field_or_file_name_is_found_and_blocks_where_it_would_be_redacted(
    body, content_type
):
    inspection = inspect_request(SCANNER, body=body, content_type=content_type)
    (found,) = [f for f in inspection.findings if f.detector == "credit_card"]
    assert inspection.extraction.segments[found.segment].locator == (NAMES_STEP,)
    with pytest.raises(RedactionError):
        redact_request(inspection, content_type)
