"""A real mitmproxy with the aigate addons, and a fake TLS upstream, all on 127.0.0.1.

Reusable by every test that needs the proxy for real:

- `FakeUpstream`: a threaded HTTPS server whose leaf certificate (from a throw-away CA) names the
  AI hosts, so `api.openai.com` etc. can be served locally. It counts accepted connections and
  records every request, so "blocked means never contacted" is measurable. With `http2=True` it
  also offers h2 by ALPN (as chatgpt.com and the AI APIs do) and serves it with the `h2`
  library's protocol state machine, which rejects a body that disagrees with its Content-Length.
- `start_proxy(policy, upstream, ...)`: a mitmproxy `DumpMaster` running on its own event loop in
  a background thread, with the aigate addons plus the test-only `FlowLog` (keeps finished flows
  for assertions on `FlowState`). The loop connects every upstream connection to the fake
  upstream, as DNS would: URL, Host, SNI and mitmproxy's own view of the connection stay
  unchanged, so production code runs as in production.

mitmproxy keeps its master in a process-wide `ctx`: run one proxy at a time in a process.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import hashlib
import ipaddress
import json
import logging
import shutil
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import httpx2 as httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DATA = Path(__file__).parent / "data"
TEST_POLICY = DATA / "policy.yaml"  # one service per action on `.test` hosts (data/catalog.yaml)
# Hosts the fake upstream's certificate names besides the catalog's: a non-AI site for the
# passthrough tests and the usual local names.
EXTRA_HOSTS = ("example.org", "www.example.org", "localhost")
SSE_PAUSE_SECONDS = 1.0
# What a browser sends when a person opens a page: the proxy answers these with pages.
BROWSER_HEADERS = {
    "accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    "sec-fetch-mode": "navigate",
    "sec-fetch-dest": "document",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
}


def write_test_policy(directory: Path, text: str | None = None) -> Path:
    """The test policy (or `text`) and its catalog written into `directory`, to run on or
    edit: the policy file's path."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "catalog.yaml", directory / "catalog.yaml")
    policy = directory / "policy.yaml"
    policy.write_text(text if text is not None else TEST_POLICY.read_text())
    return policy


# --- certificates -----------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca_and_leaf(directory: Path, hosts: Iterable[str]) -> tuple[Path, Path, Path]:
    """Write a throw-away CA and a leaf for `hosts` (plus 127.0.0.1); return (ca, cert, key)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("aigate test upstream CA"))
        .issuer_name(_name("aigate test upstream CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(h) for h in dict.fromkeys(hosts)]
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("aigate fake upstream"))
        .issuer_name(ca_cert.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    ca_path = directory / "upstream-ca.pem"
    cert_path = directory / "upstream-leaf.pem"
    key_path = directory / "upstream-leaf.key"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + ca_cert.public_bytes(serialization.Encoding.PEM)
    )
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


def catalog_hosts() -> list[str]:
    """Every certificate-friendly host pattern of the shipped catalog (globs cannot be SANs)."""
    from aigate.catalog import default_catalog

    out: list[str] = []
    for service in default_catalog().services.values():
        for host in (*service.hosts, *service.domains, *(f"*.{d}" for d in service.domains)):
            if "*" not in host or (host.startswith("*.") and "*" not in host[2:]):
                out.append(host)
    return out


# --- fake upstream ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeenRequest:
    """One request as the upstream received it (header names lowercased; over HTTP/2 `host` is
    the :authority and `headers` holds no pseudo-header)."""

    method: str
    host: str
    path: str
    headers: dict[str, str]
    body: bytes
    http_version: str = "HTTP/1.1"  # or "HTTP/1.0", "HTTP/2"


def _answer(seen: SeenRequest) -> tuple[int, bytes]:
    """Status and JSON body for a request to any path but /sse and /ws."""
    path = seen.path.split("?", 1)[0]
    if path == "/v1/chat/completions":
        return 200, json.dumps(OPENAI_ANSWER).encode()
    if path == "/v1/messages":
        return 200, json.dumps(ANTHROPIC_ANSWER).encode()
    echo = {"method": seen.method, "host": seen.host, "path": seen.path, "headers": seen.headers,
            "http_version": seen.http_version}
    return 200, json.dumps(echo).encode()


# Every response of the fake upstream carries these (the proxy drops alt-svc on AI responses).
_RESPONSE_HEADERS = (("alt-svc", 'h3=":443"; ma=86400'), ("x-upstream", "fake"))


def ws_frame(opcode: int, data: bytes, mask: bytes = b"") -> bytes:
    """One final WebSocket frame (1 text, 2 binary, 8 close); clients pass a 4-byte `mask`."""
    size = len(data)
    if size < 126:
        head = bytes([0x80 | opcode, (0x80 if mask else 0) | size])
    elif size < 65536:
        head = bytes([0x80 | opcode, (0x80 if mask else 0) | 126]) + size.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, (0x80 if mask else 0) | 127]) + size.to_bytes(8, "big")
    if mask:
        data = mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return head + data


def _ws_accept(key: str) -> str:
    magic = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    return base64.b64encode(hashlib.sha1((key + magic).encode()).digest()).decode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _UpstreamServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> SeenRequest:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = SeenRequest(
            self.command, headers.get("host", ""), self.path, headers, body, self.request_version
        )
        self.server.owner.requests.append(seen)
        return seen

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        for name, value in _RESPONSE_HEADERS:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        seen = self._record()
        path = seen.path.split("?", 1)[0]
        if path == "/sse":
            self._sse()
        elif path == "/ws" and seen.headers.get("upgrade", "").lower() == "websocket":
            self.send_response(101)
            self.send_header("upgrade", "websocket")
            self.send_header("connection", "Upgrade")
            self.send_header("sec-websocket-accept", _ws_accept(seen.headers["sec-websocket-key"]))
            self.end_headers()
            self.close_connection = True
            self._websocket()
        else:
            self._send(*_answer(seen))

    def _websocket(self) -> None:
        """Record and echo each client text/binary message until the client closes."""
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length >= 126:
                length = int.from_bytes(self.rfile.read(2 if length == 126 else 8), "big")
            mask = self.rfile.read(4) if head[1] & 0x80 else b""
            data = self.rfile.read(length)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == 8:
                self.wfile.write(b"\x88\x00")
                return
            if opcode in (1, 2):
                with self.server.owner.lock:
                    self.server.owner.ws_messages.append(data)
                self.wfile.write(ws_frame(opcode, data))
                self.wfile.flush()

    def _sse(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for index, event in enumerate((b"data: first\n\n", b"data: second\n\n")):
            if index:
                time.sleep(SSE_PAUSE_SECONDS)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


class _UpstreamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: FakeUpstream, context: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.context = context
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        with self.owner.lock:
            self.owner.connections += 1
        if self.context is not None:
            try:
                request = self.context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            alpn = request.selected_alpn_protocol() or ""
            with self.owner.lock:
                self.owner.alpn.append(alpn)
            if alpn == "h2":
                _H2Connection(self.owner, request).serve()
                return
        super().finish_request(request, client_address)


class _H2Connection:
    """One HTTP/2 connection of the fake upstream: every request is recorded, then answered as
    over HTTP/1.1 (`_answer`). A protocol error (such as a body longer or shorter than its
    Content-Length) is recorded in `FakeUpstream.h2_errors` and ends the connection."""

    def __init__(self, owner: FakeUpstream, sock: ssl.SSLSocket) -> None:
        self.owner = owner
        self.sock = sock
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        self.requests: dict[int, tuple[list[tuple[str, str]], bytearray]] = {}
        self.pending: dict[int, bytes] = {}  # response bytes waiting for flow-control window

    def serve(self) -> None:
        self.conn.initiate_connection()
        try:
            self._flush()
            while data := self.sock.recv(65536):
                for event in self.conn.receive_data(data):
                    self._on(event)
                self._flush()
        except h2.exceptions.ProtocolError as e:
            with self.owner.lock:
                self.owner.h2_errors.append(f"{type(e).__name__}: {e}")
            with contextlib.suppress(OSError, h2.exceptions.ProtocolError):
                self.conn.close_connection(error_code=h2.errors.ErrorCodes.PROTOCOL_ERROR)
                self._flush()
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self.sock.close()

    def _on(self, event: h2.events.Event) -> None:
        if isinstance(event, h2.events.RequestReceived):
            self.requests[event.stream_id] = (list(event.headers), bytearray())
        elif isinstance(event, h2.events.DataReceived):
            self.requests[event.stream_id][1].extend(event.data)
            self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            self._respond(event.stream_id, *self.requests.pop(event.stream_id))
        elif isinstance(event, h2.events.WindowUpdated):
            for stream_id in list(self.pending):
                self._send_data(stream_id)
        elif isinstance(event, h2.events.StreamReset):
            self.requests.pop(event.stream_id, None)
            self.pending.pop(event.stream_id, None)

    def _respond(self, stream_id: int, fields: list[tuple[str, str]], body: bytearray) -> None:
        pseudo = {k: v for k, v in fields if k.startswith(":")}
        headers: dict[str, str] = {}
        for name, value in fields:
            if not name.startswith(":"):
                # Cookies may come as several fields (RFC 9113 8.2.3): fold them as one.
                sep = "; " if name == "cookie" else ", "
                headers[name] = f"{headers[name]}{sep}{value}" if name in headers else value
        seen = SeenRequest(
            pseudo.get(":method", ""), pseudo.get(":authority", ""), pseudo.get(":path", ""),
            headers, bytes(body), "HTTP/2",
        )
        with self.owner.lock:
            self.owner.requests.append(seen)
        status, payload = _answer(seen)
        self.conn.send_headers(stream_id, [
            (":status", str(status)), ("content-type", "application/json"),
            ("content-length", str(len(payload))), *_RESPONSE_HEADERS,
        ])
        self.pending[stream_id] = payload
        self._send_data(stream_id)

    def _send_data(self, stream_id: int) -> None:
        """Send what the flow-control window allows; the rest waits for a WINDOW_UPDATE."""
        data = self.pending[stream_id]
        while data:
            size = min(
                self.conn.local_flow_control_window(stream_id),
                self.conn.max_outbound_frame_size,
                len(data),
            )
            if size <= 0:
                self.pending[stream_id] = data
                return
            self.conn.send_data(stream_id, data[:size])
            data = data[size:]
        self.conn.end_stream(stream_id)
        del self.pending[stream_id]

    def _flush(self) -> None:
        if out := self.conn.data_to_send():
            self.sock.sendall(out)


OPENAI_ANSWER = {
    "id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000,
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": "fake upstream says hi"}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 4, "total_tokens": 5},
}
ANTHROPIC_ANSWER = {
    "id": "msg_fake", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-latest",
    "content": [{"type": "text", "text": "fake upstream says hi"}],
    "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 1, "output_tokens": 4},
}


class FakeUpstream:
    """HTTPS server on 127.0.0.1 answering for every AI host; counts connections, logs requests.

    A plain-HTTP twin on `plain_address` serves the same paths (counted and logged alike).

    Paths: /v1/chat/completions (OpenAI answer), /v1/messages (Anthropic answer), /sse (two
    events `SSE_PAUSE_SECONDS` apart), /ws (websocket upgrade, then every client message is
    recorded in `ws_messages` and echoed back), anything else echoes the request
    as JSON. Every response carries `alt-svc` and `x-upstream: fake`.

    With `http2=True` the TLS server offers h2 before http/1.1 by ALPN; over h2, /sse and /ws
    are echoed like any other path (no streaming, no WebSocket). `alpn` holds the protocol each
    TLS connection chose ("" for none), `h2_errors` the HTTP/2 protocol errors of clients.
    """

    def __init__(self, directory: Path, hosts: Iterable[str] = (), http2: bool = False) -> None:
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: list[SeenRequest] = []
        self.ws_messages: list[bytes] = []  # client WebSocket messages received on /ws
        self.sni: list[str] = []
        self.alpn: list[str] = []
        self.h2_errors: list[str] = []
        all_hosts = [*EXTRA_HOSTS, *hosts]
        self.ca_path, cert, key = make_ca_and_leaf(directory, all_hosts)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.set_alpn_protocols(["h2", "http/1.1"] if http2 else ["http/1.1"])
        context.sni_callback = self._on_sni
        self._servers = (_UpstreamServer(self, context), _UpstreamServer(self, None))
        self.address: tuple[str, int] = self._servers[0].server_address[:2]  # type: ignore
        self.plain_address: tuple[str, int] = self._servers[1].server_address[:2]  # type: ignore
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _on_sni(self, _sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        self.sni.append(name or "")

    def snapshot(self) -> tuple[int, int]:
        """(connections, requests) so far; compare before and after an action."""
        with self.lock:
            return self.connections, len(self.requests)

    def requests_since(self, snapshot: tuple[int, int]) -> list[SeenRequest]:
        return self.requests[snapshot[1]:]

    def connections_since(self, snapshot: tuple[int, int]) -> int:
        return self.connections - snapshot[0]

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


# --- the proxy --------------------------------------------------------------------------------


class _RoutingLoop(asyncio.SelectorEventLoop):
    """The proxy's event loop: every upstream connection dials the fake upstream, as DNS would.

    Port 80 goes to its plain-HTTP twin, any other port to its TLS server. mitmproxy's connection
    keeps the address the client named (URL, Host and SNI unchanged too), so connection reuse
    works as in production: mitmproxy reuses a server connection only for that same address and
    holds at most five per address per client connection, so rewriting `server.address` in an
    addon opened a new upstream connection per request and stalled a keep-alive client's sixth.
    """

    def __init__(self, upstream: FakeUpstream) -> None:
        super().__init__()
        self.upstream = upstream

    async def create_connection(  # type: ignore[override]
        self, protocol_factory: Any, host: str | None = None, port: int | None = None,
        **kwargs: Any,
    ) -> Any:
        if host is not None:
            host, port = self.upstream.plain_address if port == 80 else self.upstream.address
        return await super().create_connection(protocol_factory, host, port, **kwargs)


class FlowLog:
    """Test-only addon: keeps every finished HTTP flow (response, error or websocket end)."""

    def __init__(self) -> None:
        self.flows: list[Any] = []

    def response(self, flow: Any) -> None:
        self.flows.append(flow)

    def error(self, flow: Any) -> None:
        self.flows.append(flow)


@dataclass
class RunningProxy:
    """A started proxy: address, the CA clients must trust, the flows it finished."""

    host: str
    port: int
    confdir: Path
    master: Any
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    flow_log: FlowLog
    errors: list[str] = field(default_factory=list)  # ERROR log messages while running
    log_handler: logging.Handler | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ca_path(self) -> Path:
        return self.confdir / "mitmproxy-ca-cert.pem"

    @property
    def flows(self) -> list[Any]:
        return self.flow_log.flows

    def flows_for(self, host: str) -> list[Any]:
        return [f for f in self.flow_log.flows if f.request.pretty_host == host]

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the proxy's event loop thread (e.g. to change options) and return."""

        async def run() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)

    def set(self, **options: Any) -> None:
        """Change options on the running proxy, as `--set` would."""
        self.call(lambda: self.master.options.update(**options))

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_path))

    def stop(self) -> None:
        self.master.shutdown()
        self.thread.join(timeout=10)
        if self.log_handler is not None:
            logging.getLogger().removeHandler(self.log_handler)


class _ErrorLog(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def start_proxy(
    confdir: Path,
    upstream: FakeUpstream | None,
    options: dict[str, Any] | None = None,
    addons: list[Any] | None = None,
) -> RunningProxy:
    """Start mitmproxy with the aigate addons (or `addons`) on 127.0.0.1:<free port>.

    `options` are set after the addons load, so `aigate_*` options work (e.g. `aigate_policy`).
    The proxy always runs with `connection_strategy=lazy` and trusts the fake upstream's CA.
    """
    from mitmproxy.options import Options
    from mitmproxy.tools.dump import DumpMaster

    if addons is None:
        from aigate.proxy import build_addons

        addons = build_addons()
    ready: dict[str, Any] = {}
    started = threading.Event()
    errors: list[str] = []
    flow_log = FlowLog()

    async def main() -> None:
        opts = Options(listen_host="127.0.0.1", listen_port=0)
        master = DumpMaster(opts, with_termlog=False, with_dumper=False)
        master.addons.add(*addons)
        master.addons.add(flow_log)
        core: dict[str, Any] = {
            "confdir": str(confdir),
            "connection_strategy": "lazy",
        }
        if upstream is not None:
            core["ssl_verify_upstream_trusted_ca"] = str(upstream.ca_path)
        try:
            opts.update(**core, **(options or {}))
        except Exception as e:
            ready["error"] = e
            started.set()
            return
        ready["master"] = master
        ready["loop"] = asyncio.get_running_loop()
        task = asyncio.create_task(master.run())
        ps = master.addons.get("proxyserver")
        for _ in range(500):
            if task.done():
                break
            addrs = ps.listen_addrs()
            if addrs:
                ready["port"] = addrs[0][1]
                break
            await asyncio.sleep(0.01)
        started.set()
        try:
            await task
        except BaseException as e:  # ErrorCheck exits on start-up errors
            ready.setdefault("error", e)
            started.set()

    handler = _ErrorLog(errors)
    logging.getLogger().addHandler(handler)
    def serve() -> None:
        routing = None if upstream is None else (lambda: _RoutingLoop(upstream))
        with asyncio.Runner(loop_factory=routing) as runner:
            runner.run(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(timeout=20)
    if "port" not in ready:
        logging.getLogger().removeHandler(handler)
        raise RuntimeError(f"proxy did not start: {ready.get('error')!r}; errors: {errors}")
    return RunningProxy(
        host="127.0.0.1",
        port=ready["port"],
        confdir=confdir,
        master=ready["master"],
        loop=ready["loop"],
        thread=thread,
        flow_log=flow_log,
        errors=errors,
        log_handler=handler,
    )


def make_client(proxy: RunningProxy, auth: str | None = None, **kwargs: Any) -> httpx.Client:
    """An httpx client that sends everything through `proxy` and trusts its CA only."""
    url = proxy.url if auth is None else proxy.url.replace("http://", f"http://{auth}@")
    return httpx.Client(proxy=url, verify=proxy.ssl_context(), **{"timeout": 10, **kwargs})


# --- raw clients ------------------------------------------------------------------------------


_REFUSING: list[socket.socket] = []  # held for the whole run


def refused_port() -> int:
    """A local port that refuses every connection for the rest of the run: bound and never
    listening. A port merely found free and closed again can be handed to the next server
    started (the proxy itself, an upstream), which then answers where a refusal was meant."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _REFUSING.append(sock)
    return sock.getsockname()[1]


def read_head(sock: socket.socket, size: int = 4096) -> bytes:
    """Bytes from `sock` up to and including the blank line that ends a head (or to EOF);
    `size=1` reads no further, leaving a body unread."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(size)
        if not chunk:
            break
        data += chunk
    return data


def read_to_end(sock: socket.socket) -> bytes:
    """Everything until the peer closes (send `Connection: close`), then close `sock`."""
    with sock:
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def connect_tunnel(proxy: RunningProxy, authority: str, auth: str | None = None) -> socket.socket:
    """CONNECT `authority` (host:port, any spelling) through the proxy: the raw tunnel."""
    sock = socket.create_connection((proxy.host, proxy.port), timeout=10)
    head = f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"
    if auth:
        head += f"Proxy-Authorization: Basic {base64.b64encode(auth.encode()).decode()}\r\n"
    sock.sendall((head + "\r\n").encode())
    reply = read_head(sock)
    status = reply.split(b" ", 2)[1] if reply.count(b" ") >= 1 else b"?"
    if status != b"200":
        sock.close()
        raise ConnectionError(f"CONNECT {authority} refused: {reply[:200]!r}")
    return sock


def open_tunnel(
    proxy: RunningProxy,
    host: str,
    context: ssl.SSLContext,
    auth: str | None = None,
    port: int = 443,
) -> ssl.SSLSocket:
    """CONNECT through the proxy and start TLS: a socket for hand-written requests."""
    sock = connect_tunnel(proxy, f"{host}:{port}", auth)
    return context.wrap_socket(sock, server_hostname=host)


def read_response_head(sock: ssl.SSLSocket) -> tuple[int, dict[str, str]]:
    """Status and lowercased headers of the next response on `sock` (body left unread)."""
    lines = read_head(sock, 1).decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON-lines log such as the audit log ([] before it exists)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def wait_for(
    predicate: Callable[[], object], timeout: float = 5.0, what: str = "", interval: float = 0.01
) -> None:
    """Poll until `predicate()` is true (flows are logged just after the client sees them)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or 'the condition'}")
        time.sleep(interval)
