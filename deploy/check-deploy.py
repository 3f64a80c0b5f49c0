#!/usr/bin/env python3
"""Checks the deployment files without a container engine (the docker compose
plugin is not always installed; `docker compose config` is the stronger check
where it is).

- deploy/docker-compose.yml and deploy/k8s/*.yaml parse as YAML (anchors and
  merge keys resolved); compose has the five services; every k8s document has
  apiVersion, kind and metadata.name;
- every hub variable they set is a variable cloud-hub/src/config.ts knows;
- docs/operations.md and the README's configuration table name every variable
  of config.ts.
Exit 1 with a list of problems, else print a summary.
"""
import glob
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

if problems:
    print("deploy check failed:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"deploy check ok: {' '.join(compose_tool) + ' config passes, ' if compose_tool else ''}compose services {sorted(services)}, {k8s_docs} k8s documents, {len(known)} settings documented in docs/operations.md and README.md")
