"""The shipped container image and compose stack, built and run for real with podman.

`podman-compose` builds deploy/docker/Dockerfile through the compose file's `build:` section, then
- the image alone, started with its own CMD and the mounts its header names, turns healthy by its
  HEALTHCHECK, runs as its non-root user, forwards non-AI traffic to a fake upstream on this
  machine's loopback and answers a blocked AI service with the block page and an audit record;
- the compose file's `aigate` service (named volumes, read-only root, no capabilities) blocks the
  same way, its CA fetched as the compose file says (`cp`). Prometheus and Grafana are not
  started: their images come from Docker Hub, which this machine cannot reach; test_deploy.py
  checks the files they mount.

Offline, as CI runs:
- `python:3.12.*-slim-bookworm` cannot be pulled here, so the build's PYTHON_IMAGE argument names
  a stand-in: Debian (the release the Dockerfile's base names) from debootstrap, with the CPython
  running this test copied to /usr/local, as in the official image. It stays in podman's storage
  for the next run (`podman rmi localhost/aigate-test-python:<version>-<release>` rebuilds it);
  `podman image prune` reclaims the earlier builds of the image itself.
- The build has no network: its pip installs from a wheelhouse downloaded here from
  requirements.lock and the project's build requirements.

The engine is rootful podman with a containers.conf of the test's own: runc, because crun 1.8
refuses this sandbox's hybrid cgroup v1/v2 layout ("cgroups in hybrid mode not supported"), and
resource limits within this process's, because without CAP_SYS_RESOURCE podman's defaults fail
("setrlimit `RLIMIT_NOFILE`: Operation not permitted"). Neither changes what the image does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from components import require_command
from procharness import free_port, proxy_client
from proxyharness import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
COMPOSE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
BLOCKED = "https://chat.deepseek.com/"  # blocked by policies/default.yaml (services.deepseek)
BLOCK_TITLE = "<title>Blocked: DeepSeek Chat"
HOST_LOOPBACK = "10.0.2.2"  # this machine's 127.0.0.1 inside slirp4netns:allow_host_loopback
# What the stand-in's CPython links against, beyond debootstrap's minimal base.
BASE_PACKAGES = ("ca-certificates", "libssl3", "libsqlite3-0", "libexpat1", "libreadline8",
                 "libncursesw6", "netbase", "tzdata")
BUILD_SECONDS = 1200.0  # debootstrap, then the image: a few minutes on a busy two-core machine
START_SECONDS = 90.0  # the HEALTHCHECK passes once every worker has imported mitmproxy


def tail(result: subprocess.CompletedProcess[str], lines: int = 30) -> str:
    return "\n".join((result.stdout + result.stderr).splitlines()[-lines:])


def run(argv: list[str], env: dict[str, str] | None = None, timeout: float = 120.0,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"`{shlex.join(argv)}` exited {result.returncode}:\n{tail(result)}")
    return result


@dataclass(frozen=True)
class Engine:
    """Rootful podman and podman-compose with the test's containers.conf."""

    env: dict[str, str]

    def podman(self, *args: str, timeout: float = 120.0,
               check: bool = True) -> subprocess.CompletedProcess[str]:
        return run(["podman", *args], self.env, timeout, check)

    def compose(self, project: str, env: dict[str, str], *args: str, timeout: float = 120.0,
                check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = ["podman-compose", "-p", project, "-f", str(COMPOSE), *args]
        return run(argv, {**self.env, **env}, timeout, check)

    def has_image(self, name: str) -> bool:
        return self.podman("image", "exists", name, check=False).returncode == 0


def dockerfile_base() -> str:
    """The default of the Dockerfile's PYTHON_IMAGE argument, e.g. python:3.12.12-slim-bookworm."""
    return re.search(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE.read_text(), re.M).group(1)


def debian_image(engine: Engine, work: Path, release: str) -> str:
    """Debian `release` from debootstrap, imported once; skips if podman cannot run it here."""
    name = f"localhost/aigate-test-debian:{release}"
    if not engine.has_image(name):
        rootfs, archive = work / "rootfs", work / "rootfs.tar"
        run(["debootstrap", "--variant=minbase", f"--include={','.join(BASE_PACKAGES)}", release,
             str(rootfs)], timeout=BUILD_SECONDS)
        run(["tar", "-C", str(rootfs), "-cf", str(archive), "."], timeout=BUILD_SECONDS)
        shutil.rmtree(rootfs)
        engine.podman("import", str(archive), name, timeout=BUILD_SECONDS)
        archive.unlink()
    probe = engine.podman("run", "--rm", "--network", "none", name, "true", check=False)
    if probe.returncode != 0:
        pytest.skip(f"podman cannot run a container here: {tail(probe, 3)}")
    return name


def python_image(engine: Engine, work: Path, release: str) -> str:
    """The stand-in for python:3.12-slim-<release>: Debian plus this test's CPython in
    /usr/local (its standard library without tests and GUI; site-packages left empty, since this
    machine's packages are not the image's)."""
    debian = debian_image(engine, work, release)
    name = f"localhost/aigate-test-python:{'.'.join(map(str, sys.version_info[:3]))}-{release}"
    if engine.has_image(name):
        return name
    context = work / "python-base"
    context.mkdir()
    prefix, lib = Path(sys.base_prefix), f"python{sys.version_info[0]}.{sys.version_info[1]}"
    members = [m for m in (f"bin/{lib}", "bin/python3", "bin/python", f"lib/lib{lib}.so.1.0",
                           f"lib/lib{lib}.so", "lib/libpython3.so", f"lib/{lib}")
               if os.path.lexists(prefix / m)]
    excluded = [f"--exclude=lib/{lib}/{part}"
                for part in ("test", "site-packages/*", "idlelib", "tkinter", "turtledemo")]
    run(["tar", "-C", str(prefix), "-cf", str(context / "python.tar"), *excluded, *members],
        timeout=BUILD_SECONDS)
    (context / "Containerfile").write_text(
        f"FROM {debian}\n"
        "ADD python.tar /usr/local/\n"
        'RUN ldconfig && python3 -c "import ctypes, sqlite3, ssl"\n'
        "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8\n"
        'CMD ["python3"]\n'
    )
    engine.podman("build", "--network", "none", "-t", name, str(context), timeout=BUILD_SECONDS)
    shutil.rmtree(context)
    return name


def offline_pip(work: Path) -> list[str]:
    """`podman build` options that make the build's pip install from a local wheelhouse."""
    wheels, pip_conf = work / "wheels", work / "pip.conf"
    build_requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]
    run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
         "--dest", str(wheels), "--requirement", str(DOCKER / "requirements.lock"),
         *build_requires["requires"]], timeout=BUILD_SECONDS)
    pip_conf.write_text("[global]\nno-index = true\nfind-links = /wheels\n")
    return ["--volume", f"{wheels}:/wheels:ro", "--volume", f"{pip_conf}:/etc/pip.conf:ro"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    for command, package in (("podman", "podman"), ("runc", "runc"),
                             ("slirp4netns", "slirp4netns"), ("podman-compose", "podman-compose"),
                             ("debootstrap", "debootstrap")):
        require_command(command, package)
    if os.geteuid() != 0:
        pytest.skip("rootful podman and debootstrap need root (CI runs as root)")
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)
    conf = tmp_path_factory.mktemp("podman") / "containers.conf"
    conf.write_text(
        "[containers]\n"
        f'default_ulimits = ["nofile={nofile[0]}:{nofile[1]}", "nproc=4096:4096"]\n'
        'log_driver = "k8s-file"\n'  # `podman logs` without journald
        "[engine]\n"
        'runtime = "runc"\n'
    )
    return Engine({**os.environ, "CONTAINERS_CONF": str(conf)})


@pytest.fixture(scope="module")
def image(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped image, built by `podman-compose build` from the compose file's build section."""
    work = tmp_path_factory.mktemp("image")
    release = dockerfile_base().rsplit("-", 1)[1]
    base = python_image(engine, work, release)
    build_options = ["--format", "docker",  # keeps the HEALTHCHECK, which OCI images drop
                     "--network", "none", *offline_pip(work)]
    engine.compose("aigate-build", {"AIGATE_ACK_KEY": "unused"},  # the file requires it
                   f"--podman-build-args={shlex.join(build_options)}",
                   "build", "--build-arg", f"PYTHON_IMAGE={base}", "aigate",
                   timeout=BUILD_SECONDS)
    return yaml.safe_load(COMPOSE.read_text())["services"]["aigate"]["image"]


@contextlib.contextmanager
def fake_upstream() -> Iterator[tuple[int, list[str]]]:
    """A plain HTTP server on 127.0.0.1: its port and the paths it was asked for."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "8")
            self.end_headers()
            self.wfile.write(b"upstream")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], paths
    finally:
        server.shutdown()
        server.server_close()


def wait_healthy(engine: Engine, container: str) -> None:
    """Poll the image's own HEALTHCHECK (/readyz) until it passes; fail with the logs if the
    container stops or the time is up."""
    deadline = time.monotonic() + START_SECONDS
    while engine.podman("healthcheck", "run", container, check=False).returncode != 0:
        state = engine.podman("inspect", "--format", "{{.State.Status}}", container).stdout
        logs = engine.podman("logs", container, check=False)
        assert state.strip() == "running", f"{container} is {state.strip()}:\n{tail(logs)}"
        assert time.monotonic() < deadline, f"{container} not healthy:\n{tail(logs)}"
        time.sleep(1)


def blocked_audit_records(records: list[dict]) -> list[dict]:
    return [r for r in records if r.get("host") == "chat.deepseek.com"
            and r.get("outcome") == "blocked" and r.get("rule") == "services.deepseek"]


def test_image_blocks_an_ai_service_and_forwards_other_traffic_as_its_non_root_user(
    engine: Engine, image: str, tmp_path: Path
):
    user = engine.podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout
    uid, gid = (int(part) for part in user.strip().split(":"))
    mounts = {name: tmp_path / name for name in ("policy", "ca", "log")}
    for name, directory in mounts.items():
        directory.mkdir()
        if name != "policy":
            os.chown(directory, uid, gid)
    shutil.copy(ROOT / "policies" / "default.yaml", mounts["policy"] / "policy.yaml")
    proxy_port, container = free_port(), f"aigate-test-{secrets.token_hex(4)}"
    with fake_upstream() as (upstream_port, upstream_paths):
        try:
            engine.podman(
                "run", "--detach", "--name", container,
                "--network", "slirp4netns:allow_host_loopback=true",
                "--publish", f"127.0.0.1:{proxy_port}:8080",
                "--env", f"AIGATE_ACK_KEY={secrets.token_hex(32)}",
                "--volume", f"{mounts['policy']}:/etc/aigate/policy:ro",
                "--volume", f"{mounts['ca']}:/etc/aigate/ca",
                "--volume", f"{mounts['log']}:/var/log/aigate",
                image,
            )
            wait_healthy(engine, container)
            running_as = engine.podman("exec", container, "id", "-u").stdout.strip()
            with proxy_client(proxy_port, mounts["ca"]) as client:
                blocked = client.get(BLOCKED)
                forwarded = client.get(f"http://{HOST_LOOPBACK}:{upstream_port}/not-ai")
        finally:
            engine.podman("rm", "--force", container, check=False)
    assert uid != 0 and running_as == str(uid)
    assert blocked.status_code == 403 and BLOCK_TITLE in blocked.text
    assert (forwarded.status_code, forwarded.text) == (200, "upstream")
    assert upstream_paths == ["/not-ai"]
    records = [r for log in sorted(mounts["log"].glob("audit*.jsonl")) for r in read_jsonl(log)]
    assert blocked_audit_records(records), records


def test_compose_service_blocks_on_its_named_volumes_and_read_only_root(
    engine: Engine, image: str, tmp_path: Path
):
    project = f"aigate-test-{secrets.token_hex(4)}"
    proxy_port = free_port()
    env = {"AIGATE_ACK_KEY": secrets.token_hex(32), "AIGATE_PORT": str(proxy_port)}
    try:
        engine.compose(project, env, "up", "--detach", "--no-build", "aigate")
        container = engine.podman(
            "ps", "--quiet", "--filter", f"label=com.docker.compose.project={project}",
            "--filter", "label=com.docker.compose.service=aigate",
        ).stdout.strip()
        assert container, f"podman-compose started no aigate container for {project}"
        wait_healthy(engine, container)
        engine.podman("cp", f"{container}:/etc/aigate/ca/mitmproxy-ca-cert.pem", str(tmp_path))
        with proxy_client(proxy_port, tmp_path) as client:
            blocked = client.get(BLOCKED)
        audit = engine.podman("exec", container, "sh", "-c", "cat /var/log/aigate/audit*.jsonl")
        write = engine.podman("exec", container, "touch", "/opt/aigate/x", check=False)
    finally:
        engine.compose(project, env, "down", "--volumes", check=False)
        engine.podman("network", "rm", "--force", f"{project}_default", check=False)
    assert blocked.status_code == 403 and BLOCK_TITLE in blocked.text
    records = [json.loads(line) for line in audit.stdout.splitlines()]
    assert blocked_audit_records(records), records
    assert "Read-only file system" in write.stderr
