#!/usr/bin/env python3
"""Checks the Kubernetes manifests in deploy/k8s/ for what operations asked of them.

Parses every YAML document in the folder and asserts: a Deployment with resource
requests and limits, a readiness probe on /readyz and a liveness probe on /healthz (port
8080), a non-root, read-only, unprivileged container with every capability dropped and
the RuntimeDefault seccomp profile; a Service that selects those pods and reaches port
8080; an autoscaling/v2 HorizontalPodAutoscaler on CPU aimed at the Deployment; and a
PodDisruptionBudget over the same pods. Prints each failure and exits 1 if there is any.

    python3 scripts/check_k8s.py [deploy/k8s]
    python3 scripts/check_k8s.py --self-test   # the checker catches broken manifests

Needs PyYAML (pip install pyyaml).
"""

import copy
import pathlib
import sys

import yaml

PORT = 8080


def load(folder):
    docs = []
    for path in sorted(pathlib.Path(folder).glob("*.y*ml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") != "Kustomization":
                docs.append(doc)
    return docs


def quantity(q):
    """CPU or memory quantity as a float (cores or bytes), for comparing request/limit."""
    s = str(q)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix in sorted(units, key=len, reverse=True):
        if s.endswith(suffix):
            return float(s[: -len(suffix)]) * units[suffix]
    return float(s)


def check(docs):
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(msg)
        return cond

    by_kind = {}
    for d in docs:
        by_kind.setdefault(d.get("kind"), []).append(d)
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        need(len(by_kind.get(kind, [])) == 1, f"expected exactly one {kind}")
    if errors:
        return errors

    dep = by_kind["Deployment"][0]
    need(dep.get("apiVersion") == "apps/v1", "Deployment: apiVersion must be apps/v1")
    spec = dep.get("spec", {})
    pod = spec.get("template", {}).get("spec", {})
    pod_labels = spec.get("template", {}).get("metadata", {}).get("labels", {}) or {}
    selector = spec.get("selector", {}).get("matchLabels", {}) or {}
    need(
        selector and all(pod_labels.get(k) == v for k, v in selector.items()),
        "Deployment: selector does not match the pod template's labels",
    )
    pod_sc = pod.get("securityContext", {}) or {}
    containers = pod.get("containers", []) or []
    need(containers, "Deployment: no containers")

    def probe_ok(c, probe, path):
        p = (c.get(probe) or {}).get("httpGet") or {}
        port = p.get("port")
        named = {x.get("name"): x.get("containerPort") for x in c.get("ports", []) or []}
        return p.get("path") == path and (port == PORT or named.get(port) == PORT)

    for c in containers:
        name = f"container {c.get('name')}"
        ports = [p.get("containerPort") for p in c.get("ports", []) or []]
        need(PORT in ports, f"{name}: must expose containerPort {PORT}")
        res = c.get("resources", {}) or {}
        for part in ("requests", "limits"):
            for r in ("cpu", "memory"):
                need(r in (res.get(part) or {}), f"{name}: resources.{part}.{r} missing")
        for r in ("cpu", "memory"):
            req, lim = (res.get("requests") or {}).get(r), (res.get("limits") or {}).get(r)
            if req is not None and lim is not None:
                need(quantity(req) <= quantity(lim), f"{name}: {r} request exceeds its limit")
        need(probe_ok(c, "readinessProbe", "/readyz"), f"{name}: readinessProbe must GET /readyz on {PORT}")
        need(probe_ok(c, "livenessProbe", "/healthz"), f"{name}: livenessProbe must GET /healthz on {PORT}")

        sc = c.get("securityContext", {}) or {}

        def effective(key):
            return sc.get(key, pod_sc.get(key))

        need(effective("runAsNonRoot") is True, f"{name}: runAsNonRoot must be true")
        need(effective("runAsUser") != 0, f"{name}: runAsUser must not be 0")
        need(sc.get("readOnlyRootFilesystem") is True, f"{name}: readOnlyRootFilesystem must be true")
        need(sc.get("allowPrivilegeEscalation") is False, f"{name}: allowPrivilegeEscalation must be false")
        need(sc.get("privileged") in (None, False), f"{name}: must not be privileged")
        drop = (sc.get("capabilities") or {}).get("drop") or []
        need("ALL" in drop, f"{name}: capabilities.drop must include ALL")
        need(not (sc.get("capabilities") or {}).get("add"), f"{name}: must add no capabilities")
        seccomp = (effective("seccompProfile") or {}).get("type")
        need(seccomp == "RuntimeDefault", f"{name}: seccompProfile.type must be RuntimeDefault")

    svc = by_kind["Service"][0]
    svc_sel = svc.get("spec", {}).get("selector", {}) or {}
    need(
        svc_sel and all(pod_labels.get(k) == v for k, v in svc_sel.items()),
        "Service: selector does not match the Deployment's pods",
    )
    named = {p.get("name"): p.get("containerPort") for c in containers for p in c.get("ports", []) or []}
    targets = [p.get("targetPort", p.get("port")) for p in svc.get("spec", {}).get("ports", []) or []]
    need(
        any(t == PORT or named.get(t) == PORT for t in targets),
        f"Service: no port targets the container's port {PORT}",
    )

    hpa = by_kind["HorizontalPodAutoscaler"][0]
    need(hpa.get("apiVersion") == "autoscaling/v2", "HPA: apiVersion must be autoscaling/v2")
    hspec = hpa.get("spec", {})
    ref = hspec.get("scaleTargetRef", {}) or {}
    need(
        ref.get("kind") == "Deployment" and ref.get("name") == dep.get("metadata", {}).get("name"),
        "HPA: scaleTargetRef must name the Deployment",
    )
    lo, hi = hspec.get("minReplicas", 1), hspec.get("maxReplicas", 0)
    need(1 <= lo <= hi, "HPA: need 1 <= minReplicas <= maxReplicas")
    cpu = [
        m
        for m in hspec.get("metrics", []) or []
        if m.get("type") == "Resource" and (m.get("resource") or {}).get("name") == "cpu"
    ]
    need(
        cpu and (cpu[0]["resource"].get("target") or {}).get("averageUtilization"),
        "HPA: needs a CPU Resource metric with averageUtilization",
    )

    pdb = by_kind["PodDisruptionBudget"][0]
    need(pdb.get("apiVersion") == "policy/v1", "PDB: apiVersion must be policy/v1")
    pspec = pdb.get("spec", {})
    need(
        ("minAvailable" in pspec) != ("maxUnavailable" in pspec),
        "PDB: set exactly one of minAvailable and maxUnavailable",
    )
    psel = (pspec.get("selector") or {}).get("matchLabels") or {}
    need(
        psel and all(pod_labels.get(k) == v for k, v in psel.items()),
        "PDB: selector does not match the Deployment's pods",
    )
    if isinstance(pspec.get("minAvailable"), int):
        need(pspec["minAvailable"] < lo, "PDB: minAvailable must be below minReplicas or no pod can ever be evicted")
    return errors


def self_test(folder):
    """Each mutation of the good manifests must be caught."""
    good = load(folder)
    assert check(good) == [], check(good)

    def container(docs):
        dep = next(d for d in docs if d["kind"] == "Deployment")
        return dep["spec"]["template"]["spec"]["containers"][0]

    mutations = {
        "no limits": lambda d: container(d)["resources"].pop("limits"),
        "liveness on /": lambda d: container(d)["livenessProbe"]["httpGet"].update(path="/"),
        "no readiness": lambda d: container(d).pop("readinessProbe"),
        "writable root": lambda d: container(d)["securityContext"].update(readOnlyRootFilesystem=False),
        "escalation": lambda d: container(d)["securityContext"].pop("allowPrivilegeEscalation"),
        "caps kept": lambda d: container(d)["securityContext"]["capabilities"].update(drop=["NET_RAW"]),
        "root": lambda d: [x.get("securityContext", {}).pop("runAsNonRoot", None) for x in
                           (container(d), next(y for y in d if y["kind"] == "Deployment")["spec"]["template"]["spec"])],
        "no hpa": lambda d: d.remove(next(x for x in d if x["kind"] == "HorizontalPodAutoscaler")),
        "old hpa": lambda d: next(x for x in d if x["kind"] == "HorizontalPodAutoscaler").update(apiVersion="autoscaling/v1"),
        "pdb selects nothing": lambda d: next(x for x in d if x["kind"] == "PodDisruptionBudget")["spec"]["selector"].update(matchLabels={"app": "other"}),
        "service port": lambda d: next(x for x in d if x["kind"] == "Service")["spec"]["ports"][0].update(targetPort=9090),
    }
    failed = []
    for name, mutate in mutations.items():
        docs = copy.deepcopy(good)
        mutate(docs)
        if not check(docs):
            failed.append(name)
    for name in failed:
        print(f"self-test: mutation not caught: {name}")
    print(f"self-test: {len(mutations) - len(failed)} of {len(mutations)} broken manifests caught")
    return 1 if failed else 0


def main(argv):
    args = [a for a in argv if a != "--self-test"]
    folder = args[0] if args else pathlib.Path(__file__).resolve().parent.parent / "deploy" / "k8s"
    if "--self-test" in argv:
        return self_test(folder)
    docs = load(folder)
    errors = check(docs)
    for e in errors:
        print(f"{folder}: {e}")
    if errors:
        return 1
    print(f"{folder}: {len(docs)} manifests OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
