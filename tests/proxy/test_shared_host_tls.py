"""Privacy on shared hosts, through the real proxy: a host where AI lives only on some paths
(github.com/copilot) is decrypted only while the policy treats those paths differently from the
rest of the host; otherwise its TLS is relayed untouched, as for any non-AI host."""

from __future__ import annotations

import ssl

from cryptography import x509
from proxyharness import TEST_POLICY, open_tunnel, write_test_policy


def _issuer(proxy, host: str, context: ssl.SSLContext) -> str:
    sock = open_tunnel(proxy, host, context)
    try:
        der = sock.getpeercert(binary_form=True)
        assert der is not None
        return x509.load_der_x509_certificate(der).issuer.rfc4514_string()
    finally:
        sock.close()


def _trusting(*cas) -> ssl.SSLContext:
    context = ssl.create_default_context()
    for ca in cas:
        context.load_verify_locations(cafile=str(ca))
    return context


def test_shared_host_is_decrypted_while_the_policy_inspects_its_ai_paths(launch, upstream):
    with launch(TEST_POLICY) as proxy:  # DLP on: what is sent to /copilot is inspected
        context = _trusting(upstream.ca_path, proxy.ca_path)
        assert "mitmproxy" in _issuer(proxy, "github.com", context)


def test_shared_host_is_passed_through_when_its_ai_paths_are_treated_like_the_rest(
    launch, upstream, tmp_path
):
    text = TEST_POLICY.read_text().replace("\ndlp:\n", "\ndlp:\n  enabled: false\n")
    policy = write_test_policy(tmp_path / "no-dlp", text)
    with launch(policy) as proxy:
        context = _trusting(upstream.ca_path, proxy.ca_path)
        assert "aigate test upstream CA" in _issuer(proxy, "github.com", context)
        assert "aigate test upstream CA" in _issuer(proxy, "www.bing.com", context)
        assert "mitmproxy" in _issuer(proxy, "chatgpt.com", context)  # AI on every path
        assert not proxy.flows_for("github.com")
