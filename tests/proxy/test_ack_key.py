"""The acknowledgement key: generated once beside the CA, or shared so replicas agree."""

from __future__ import annotations

import re
import stat

import pytest
from proxyharness import BROWSER_HEADERS, make_client

PAGE = "https://chat.warn.test/"
TOKEN = re.compile(r'name="token" value="([^"]+)"')
SHARED_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
OTHER_KEY = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"


def _acknowledge(proxy) -> str:
    with make_client(proxy) as client:
        token = TOKEN.search(client.get(PAGE, headers=BROWSER_HEADERS).text).group(1)
        done = client.post(PAGE + ".aigate/ack", data={"token": token})
    assert done.status_code == 302
    return done.headers["set-cookie"].split(";", 1)[0]


def _continues(proxy, cookie: str) -> bool:
    with make_client(proxy) as client:
        response = client.get(PAGE, headers={**BROWSER_HEADERS, "cookie": cookie})
    return response.headers.get("x-upstream") == "fake"


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch):
    monkeypatch.delenv("AIGATE_ACK_KEY", raising=False)


def test_key_is_generated_once_in_confdir_with_private_mode(launch, tmp_path):
    with launch(confdir=tmp_path) as proxy:
        cookie = _acknowledge(proxy)
    key_file = tmp_path / "aigate-ack.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    with launch(confdir=tmp_path) as proxy:
        assert _continues(proxy, cookie), "a restart forgot the acknowledgement"
    assert key_file.read_text() == key


@pytest.mark.parametrize(
    ("second_key", "honoured"), [(SHARED_KEY, True), (OTHER_KEY, False)],
    ids=["replica-with-shared-key", "proxy-with-other-key"],
)
def test_replicas_sharing_the_key_honour_each_others_acknowledgements(
    launch, tmp_path, second_key, honoured
):
    with launch(confdir=tmp_path / "a", aigate_ack_key=SHARED_KEY) as first:
        cookie = _acknowledge(first)
    with launch(confdir=tmp_path / "b", aigate_ack_key=second_key) as second:
        assert _continues(second, cookie) is honoured


def test_key_from_environment_is_used(launch, tmp_path, monkeypatch):
    monkeypatch.setenv("AIGATE_ACK_KEY", SHARED_KEY)
    with launch(confdir=tmp_path / "a") as first:
        cookie = _acknowledge(first)
    with launch(confdir=tmp_path / "b", aigate_ack_key=SHARED_KEY) as second:
        assert _continues(second, cookie)
    assert not (tmp_path / "a" / "aigate-ack.key").exists()
