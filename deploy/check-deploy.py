#!/usr/bin/env python3
"""Checks the deployment files without a container engine (the docker compose
plugin is not always installed; `docker compose config` is the stronger check
where it is).

- deploy/docker-compose.yml and deploy/k8s/*.yaml parse as YAML (anchors and
  merge keys resolved); compose has the five services; every k8s document has
  apiVersion, kind and metadata.name;
- every hub variable they set is a variable cloud-hub/src/config.ts knows;
- docs/operations.md and the README's configuration table name every variable
  of config.ts;
- deploy/argus-agent.service has its restart policy, resource limits and
  sandbox; under ProtectSystem=strict the agent's state directory
  (ARGUS_AGENT_STATE_DIR, and stateDir of deploy/argus-agent.example.json) is
  the unit's StateDirectory, the recordings directory is readable, every
  ARGUS_AGENT_* variable and example key is one edge-agent/src/config.ts knows;
  `systemd-analyze verify` passes on it where systemd-analyze is installed.
Exit 1 with a list of problems, else print a summary.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
problems = []


def read(p):
    with open(os.path.join(ROOT, p), encoding="utf-8") as f:
        return f.read()


config = read("cloud-hub/src/config.ts")
env_block = re.search(r"const ENV_KEYS[^{]*\{(.*?)\n\};", config, re.S)
known = set(re.findall(r"^\s*([A-Z0-9_]+):", env_block.group(1), re.M)) if env_block else set()
if not known:
    problems.append("could not read ENV_KEYS from cloud-hub/src/config.ts")

compose = yaml.safe_load(read("deploy/docker-compose.yml"))
services = compose.get("services", {})
for name in ["postgres", "redis", "minio", "hub-1", "hub-2"]:
    if name not in services:
        problems.append(f"compose: service {name} missing")
for name, svc in services.items():
    if "image" not in svc and "build" not in svc:
        problems.append(f"compose: service {name} has neither image nor build")
    if name.startswith("hub"):
        env = svc.get("environment", {})
        for k in env:
            if k not in known:
                problems.append(f"compose: {name} sets {k}, unknown to config.ts")
        for k in ["DATABASE_URL", "REDIS_URL", "S3_ENDPOINT", "ARGUS_VEHICLE_SECRET"]:
            if k not in env:
                problems.append(f"compose: {name} does not set {k}")

k8s_docs = 0
for path in sorted(glob.glob(os.path.join(ROOT, "deploy/k8s/*.yaml"))):
    with open(path, encoding="utf-8") as f:
        for doc in yaml.safe_load_all(f):
            if doc is None:
                continue
            k8s_docs += 1
            rel = os.path.relpath(path, ROOT)
            for key in ["apiVersion", "kind"]:
                if key not in doc:
                    problems.append(f"{rel}: no {key}")
            if not doc.get("metadata", {}).get("name"):
                problems.append(f"{rel}: no metadata.name")
            if doc.get("kind") in ("ConfigMap", "Secret"):
                for k in list(doc.get("data", {}) or {}) + list(doc.get("stringData", {}) or {}):
                    if k not in known:
                        problems.append(f"{rel}: {k} unknown to config.ts")
            if doc.get("kind") == "Deployment":
                for c in doc["spec"]["template"]["spec"]["containers"]:
                    for e in c.get("env", []):
                        if e["name"] not in known:
                            problems.append(f"{rel}: env {e['name']} unknown to config.ts")

ops = read("docs/operations.md")
readme = read("README.md")
for k in sorted(known):
    if f"`{k}`" not in ops:
        problems.append(f"docs/operations.md does not document {k}")
    if k not in readme:
        problems.append(f"README.md configuration table does not list {k}")

# The compose tool's own validation (schema, interpolation, anchors), when one is
# installed: the docker compose plugin, or Debian's docker-compose (CI installs it).
compose_tool = None
if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
    compose_tool = ["docker", "compose"]
elif shutil.which("docker-compose"):
    compose_tool = ["docker-compose"]
if compose_tool:
    r = subprocess.run(compose_tool + ["-f", os.path.join(ROOT, "deploy/docker-compose.yml"), "config", "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"{' '.join(compose_tool)} config: " + (r.stderr or r.stdout).strip())
elif os.environ.get("CI"):
    problems.append("no compose tool (docker compose / docker-compose) to validate deploy/docker-compose.yml")



def parse_unit(text):
    """systemd unit → {section: [(key, value), …]} (keys may repeat, e.g. Environment=)."""
    sections, current = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif "=" in line and current is not None:
            k, v = line.split("=", 1)
            current.append((k.strip(), v.strip()))
        else:
            problems.append(f"deploy/argus-agent.service: cannot parse line {raw!r}")
    return sections


def check_agent_unit():
    """The edge agent's systemd unit against the agent's config schema. Returns a summary."""
    unit_path = "deploy/argus-agent.service"
    unit = parse_unit(read(unit_path))
    svc = unit.get("Service", [])
    one = {k: v for k, v in svc}
    env = dict(v.split("=", 1) for k, v in svc if k == "Environment" and "=" in v)
    agent_cfg = read("edge-agent/src/config.ts")
    env_map = re.search(r"export const AGENT_ENV[^{]*\{(.*?)\n\};", agent_cfg, re.S)
    agent_env = set(re.findall(r"(ARGUS_AGENT_[A-Z0-9_]+):", env_map.group(1))) if env_map else set()
    schema = re.search(r"export const AgentConfig = z\.strictObject\(\{(.*?)\n\}\);", agent_cfg, re.S)
    agent_keys = set(re.findall(r"^  ([a-zA-Z]+):", schema.group(1), re.M)) if schema else set()
    if not agent_env or not agent_keys:
        problems.append("could not read AGENT_ENV / AgentConfig from edge-agent/src/config.ts")
    required = {
        "Unit": ["Description", "After"],
        "Service": ["ExecStart", "User", "Restart", "RestartSec", "KillSignal", "TimeoutStopSec", "Nice", "IOSchedulingClass",
                    "CPUQuota", "MemoryMax", "TasksMax", "StateDirectory", "ProtectSystem", "NoNewPrivileges", "WorkingDirectory"],
        "Install": ["WantedBy"],
    }
    for section, keys in required.items():
        have = {k for k, _ in unit.get(section, [])}
        for k in keys:
            if k not in have:
                problems.append(f"{unit_path}: [{section}] has no {k}=")
    if one.get("Restart") not in ("always", "on-failure"):
        problems.append(f"{unit_path}: Restart={one.get('Restart')} (want always or on-failure)")
    exec_start = one.get("ExecStart", "").split()
    if exec_start[1:] != ["/opt/argus/edge-agent/dist/argus-agent.mjs", "run"] or not exec_start[0].endswith("/node"):
        problems.append(f"{unit_path}: ExecStart should be `node /opt/argus/edge-agent/dist/argus-agent.mjs run` (the compiled agent), got {one.get('ExecStart')!r}")
    for k in env:
        if k.startswith("ARGUS_AGENT_") and k != "ARGUS_AGENT_CONFIG" and k not in agent_env:
            problems.append(f"{unit_path}: Environment {k} is unknown to edge-agent/src/config.ts (the agent would refuse to start)")
    # Under ProtectSystem=strict only StateDirectory (and ReadWritePaths) are writable.
    state_dirs = [f"/var/lib/{d}" for d in one.get("StateDirectory", "").split()]
    writable = state_dirs + one.get("ReadWritePaths", "").split()
    inside = lambda p, roots: any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)
    state = env.get("ARGUS_AGENT_STATE_DIR")
    if one.get("ProtectSystem") == "strict":
        if not state:
            problems.append(f"{unit_path}: ProtectSystem=strict but no Environment=ARGUS_AGENT_STATE_DIR: the default stateDir (.argus/agent, relative) is read-only")
        elif not inside(state, writable):
            problems.append(f"{unit_path}: ARGUS_AGENT_STATE_DIR={state} is not under a writable path ({' '.join(writable) or 'none'})")
        wd = one.get("WorkingDirectory", "")
        if wd and not inside(wd, writable):
            problems.append(f"{unit_path}: WorkingDirectory={wd} is read-only under ProtectSystem=strict (relative paths would fail)")
    example_path = "deploy/argus-agent.example.json"
    example = json.loads(read(example_path))
    for k in example:
        if k not in agent_keys:
            problems.append(f"{example_path}: key {k} is unknown to edge-agent/src/config.ts")
    if state and example.get("stateDir") != state:
        problems.append(f"{example_path}: stateDir {example.get('stateDir')!r} differs from the unit's ARGUS_AGENT_STATE_DIR {state!r}")
    readable = one.get("ReadOnlyPaths", "").split()
    rec = example.get("recordingsDir", "")
    if one.get("ProtectSystem") == "strict" and not inside(rec, readable + writable + ["/var", "/opt", "/srv", "/mnt", "/media"]):
        problems.append(f"{example_path}: recordingsDir {rec!r} is not visible in the unit's sandbox")
    if one.get("ProtectHome") in ("true", "yes", "read-only", "tmpfs") and inside(rec, ["/home", "/root", "/run/user"]):
        problems.append(f"{example_path}: recordingsDir {rec!r} is hidden by ProtectHome")
    docs = read("docs/edge-agent.md")
    for needle in [f"StateDirectory={one.get('StateDirectory')}", state or "ARGUS_AGENT_STATE_DIR"]:
        if needle not in docs:
            problems.append(f"docs/edge-agent.md does not mention {needle} (Deploy section)")
    # systemd's own parser (unknown keys, bad values, missing executables) where installed.
    verified = False
    if shutil.which("systemd-analyze"):
        r = subprocess.run(["systemd-analyze", "verify", os.path.join(ROOT, unit_path)], capture_output=True, text=True)
        out = [l for l in (r.stdout + r.stderr).splitlines() if l.strip()]
        # The vehicle image has /usr/bin/node; the CI host may keep node elsewhere.
        out = [l for l in out if not (re.search(r"Command \S+/node is not executable", l))]
        if r.returncode != 0 and not out:
            out = [f"exit {r.returncode}"]
        problems.extend(f"systemd-analyze verify {unit_path}: {l}" for l in out)
        verified = True
    return f"agent unit ok ({'systemd-analyze verify passes, ' if verified else ''}state in {state})"


agent_summary = check_agent_unit()

if problems:
    print("deploy check failed:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"deploy check ok: {' '.join(compose_tool) + ' config passes, ' if compose_tool else ''}compose services {sorted(services)}, {k8s_docs} k8s documents, {len(known)} settings documented in docs/operations.md and README.md; {agent_summary}")
