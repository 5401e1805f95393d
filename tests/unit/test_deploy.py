"""The deploy/ files are checked the way their own tools would check them, short of a cluster.

Kubernetes manifests against the Kubernetes API schemas (kubernetes-validate, offline), the
HAProxy config with `haproxy -c`, the systemd unit with `systemd-analyze verify`, the Prometheus
Operator rules with `promtool`, and every path the compose file, Dockerfile and kustomization
name must exist in the repository. tests/e2e/test_container.py builds the image and runs it and
the compose file's aigate service with podman.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from aigate.cli import build_parser
from components import require_command

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBE = DEPLOY / "kubernetes"
KUBE_VERSION = "1.31"
OPERATOR_KINDS = {"ServiceMonitor", "PrometheusRule"}  # CRDs: not in the Kubernetes schemas


def kustomization() -> dict:
    return yaml.safe_load((KUBE / "kustomization.yaml").read_text())


def manifests() -> dict[str, dict]:
    names = kustomization()["resources"]
    return {name: yaml.safe_load((KUBE / name).read_text()) for name in names}


def container(name: str = "aigate") -> dict:
    pod = manifests()["deployment.yaml"]["spec"]["template"]["spec"]
    return next(c for c in pod["containers"] if c["name"] == name)


@pytest.mark.parametrize("name", kustomization()["resources"])
def test_kubernetes_manifest_is_valid_against_the_api_schema(name):
    document = manifests()[name]
    if document["kind"] in OPERATOR_KINDS:
        assert document["apiVersion"] == "monitoring.coreos.com/v1"
        assert document["spec"]
        return
    kubernetes_validate.validate(document, KUBE_VERSION, strict=True)


def test_kustomization_lists_every_manifest_in_the_directory():
    listed = set(kustomization()["resources"])
    on_disk = {p.name for p in KUBE.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


def test_kustomization_secrets_are_admin_supplied_and_never_committed():
    ignore = (KUBE / "secrets" / ".gitignore").read_text().splitlines()
    assert "*" in ignore
    for generator in kustomization()["secretGenerator"]:
        for entry in generator["files"]:
            assert entry.split("=")[-1].startswith("secrets/")


def test_policy_configmap_keeps_its_name_so_pods_hot_reload_instead_of_restarting():
    (generator,) = kustomization()["configMapGenerator"]
    assert generator["options"]["disableNameSuffixHash"] is True
    policy_arg = next(a for a in container()["args"] if a.startswith("--policy="))
    mount = next(m for m in container()["volumeMounts"] if m["name"] == "policy")
    assert "subPath" not in mount  # a subPath mount never sees ConfigMap updates
    assert policy_arg == f"--policy={mount['mountPath']}/{generator['files'][0]}"


def test_deployment_runs_non_root_on_a_read_only_root_filesystem():
    pod = manifests()["deployment.yaml"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    for each in pod["containers"]:
        context = each["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert each["resources"]["requests"] and each["resources"]["limits"]


def test_deployment_probes_use_the_health_endpoints_on_the_metrics_port():
    proxy = container()
    assert proxy["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert proxy["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    ports = {p["name"]: p["containerPort"] for p in proxy["ports"]}
    assert f"--metrics-port={ports['metrics']}" in proxy["args"]
    assert f"--listen-port={ports['proxy']}" in proxy["args"]


def test_deployment_shares_the_ca_and_acknowledgement_key_from_secrets():
    proxy = container()
    (key,) = [e for e in proxy["env"] if e["name"] == "AIGATE_ACK_KEY"]
    assert key["valueFrom"]["secretKeyRef"]["name"] == "aigate-ack-key"
    ca = next(m for m in proxy["volumeMounts"] if m["name"] == "ca")
    assert f"--set=confdir={ca['mountPath']}" in proxy["args"]


def test_prometheusrule_manifest_is_generated_from_the_shipped_rule_files():
    spec = importlib.util.spec_from_file_location("prometheusrule", KUBE / "prometheusrule.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.manifest(DEPLOY / "prometheus")
    assert (KUBE / "prometheusrule.yaml").read_text() == expected, (
        "run: python deploy/kubernetes/prometheusrule.py > deploy/kubernetes/prometheusrule.yaml"
    )


def test_prometheusrule_groups_pass_promtool(tmp_path):
    promtool = require_command("promtool", "prometheus")
    rules = tmp_path / "rules.yml"
    groups = manifests()["prometheusrule.yaml"]["spec"]["groups"]
    rules.write_text(yaml.safe_dump({"groups": groups}))
    result = subprocess.run(
        [promtool, "check", "rules", str(rules)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_haproxy_config_is_valid():
    haproxy = require_command("haproxy", "haproxy")
    cfg = DEPLOY / "haproxy" / "haproxy.cfg"
    result = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_unit_verifies_and_is_hardened(tmp_path):
    analyze = require_command("systemd-analyze", "systemd")
    unit = (DEPLOY / "systemd" / "aigate.service").read_text()
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "User=aigate",
                    "CapabilityBoundingSet=", "ExecReload=/bin/kill -HUP $MAINPID"):
        assert setting in unit
    # verify insists the binary exists: point it at this checkout's aigate.
    local = tmp_path / "aigate.service"
    local.write_text(unit.replace("/opt/aigate/bin/aigate", str(ROOT / ".venv" / "bin" / "aigate")))
    result = subprocess.run([analyze, "verify", str(local)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_mounts_only_files_that_exist():
    compose_dir = DEPLOY / "docker"
    compose = yaml.safe_load((compose_dir / "compose.yaml").read_text())
    named = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source in named:
                continue
            assert (compose_dir / source).exists(), f"{source} is mounted but missing"
    build = compose["services"]["aigate"]["build"]
    assert (compose_dir / build["context"] / build["dockerfile"]).is_file()


def test_compose_provisions_the_shipped_dashboard_and_rules():
    compose = yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())
    mounts = " ".join(v for s in compose["services"].values() for v in s.get("volumes", []))
    for shipped in ("../prometheus/rules.yml", "../prometheus/alerts.yml", "../grafana/dashboards"):
        assert shipped in mounts
    policy = next(a for a in compose["services"]["aigate"]["command"] if a.startswith("--policy="))
    assert (ROOT / "policies" / Path(policy).name).is_file()


def test_dockerfile_is_non_root_and_pinned():
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    defaults = dict(re.findall(r"^ARG (\w+)=(\S+)$", dockerfile, re.M))
    for written in re.findall(r"^FROM (\S+)", dockerfile, re.M):
        image = re.sub(r"\$\{(\w+)\}", lambda arg: defaults[arg.group(1)], written)
        assert re.fullmatch(r"python:3\.12\.\d+-slim-\w+", image), image
    (user,) = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert not user.startswith(("0", "root"))
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        assert (ROOT / source).exists(), source


def test_container_lock_pins_every_runtime_dependency():
    lock = (DEPLOY / "docker" / "requirements.lock").read_text().splitlines()
    pins = {line.split("==")[0].lower().replace("_", "-") for line in lock if "==" in line}
    assert all("==" in line for line in lock if line and not line.startswith("#"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in deploy/docker/requirements.lock"


def run_command_lines() -> dict[str, list[str]]:
    """The `aigate run` arguments each deploy file starts the proxy with."""
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*?\])$", dockerfile.replace("\\\n", ""), re.M | re.S).group(1)
    unit = (DEPLOY / "systemd" / "aigate.service").read_text().replace("\\\n", "")
    exec_start = shlex.split(re.search(r"^ExecStart=(.*)$", unit, re.M).group(1))
    compose = yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())
    return {
        "deployment.yaml": container()["args"],
        "Dockerfile": json.loads(cmd),
        "compose.yaml": compose["services"]["aigate"]["command"],
        "aigate.service": exec_start[exec_start.index("run") + 1:],
    }


@pytest.mark.parametrize("name", run_command_lines())
def test_deploy_command_line_is_accepted_by_aigate_run(name):
    args = build_parser().parse_args(["run", *run_command_lines()[name]])
    assert args.command == "run"
    assert args.metrics_port == 9464
    assert args.metrics_host == "0.0.0.0"  # noqa: S104  # probes and Prometheus reach the pod
    assert not [o for o in args.options if o.startswith("aigate_metrics_")], "use the flags"
