"""Registers model versions and their S3 artifacts in the OpenShift AI Model Registry, idempotently.

Rendered by cdk8s-vllm's ModelRegistrationJob. For each entry of MODELS_FILE: find the registered model by
name or create it, find its version by name or create it, then upsert the model artifact. A 409 from a create
means another run won the race: the object is looked up again, never created twice.
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

API = os.environ["REGISTRY_URL"].rstrip("/") + "/api/model_registry/v1alpha3"
SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def token():
    if os.environ.get("REGISTRY_TOKEN"):
        return os.environ["REGISTRY_TOKEN"]
    path = os.path.join(SA_DIR, "token")
    return open(path).read().strip() if os.path.exists(path) else None


def context():
    ca = os.path.join(SA_DIR, "service-ca.crt")
    return ssl.create_default_context(cafile=ca if os.path.exists(ca) else None)


def call(method, path, body=None):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token():
        headers["Authorization"] = "Bearer " + token()
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(API + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, context=context() if API.startswith("https") else None, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, {"error": err.read().decode(errors="replace")}


def find_or_create(kind, find_path, create_path, body):
    for attempt in range(2):
        status, obj = call("GET", find_path)
        if status == 200 and obj.get("id"):
            print(f"  {kind} '{body['name']}' exists (id {obj['id']})")
            return obj
        if status not in (200, 404):
            sys.exit(f"looking up {kind} '{body['name']}' failed: HTTP {status} {obj}")
        status, obj = call("POST", create_path, body)
        if status in (200, 201):
            print(f"  {kind} '{body['name']}' created (id {obj['id']})")
            return obj
        if status != 409:
            sys.exit(f"creating {kind} '{body['name']}' failed: HTTP {status} {obj}")
    sys.exit(f"{kind} '{body['name']}' conflicts but cannot be found")


def wait_for_registry():
    for attempt in range(1, 31):
        status, _ = call("GET", "/registered_models?pageSize=1")
        if status == 200:
            return
        print(f"registry not ready (HTTP {status}), attempt {attempt}/30", flush=True)
        time.sleep(10)
    sys.exit(f"model registry at {API} did not answer 200 in 5 minutes")


def main():
    models = json.load(open(os.environ["MODELS_FILE"]))
    wait_for_registry()
    q = urllib.parse.quote
    for m in models:
        print(f"{m['name']} {m['version']} -> {m['uri']}")
        rm = find_or_create("registered model", f"/registered_model?name={q(m['name'])}", "/registered_models",
                            {"name": m["name"], "description": m.get("description", ""), "customProperties": m.get("modelProperties", {})})
        mv = find_or_create("model version", f"/model_version?name={q(m['version'])}&parentResourceId={q(rm['id'])}", "/model_versions",
                            {"name": m["version"], "registeredModelId": rm["id"], "customProperties": m.get("versionProperties", {})})
        status, art = call("POST", f"/model_versions/{q(mv['id'])}/artifacts", {
            "artifactType": "model-artifact",
            "name": m["version"],
            "uri": m["uri"],
            "modelFormatName": m["modelFormatName"],
            "storageKey": m["storageKey"],
            "storagePath": m["storagePath"],
        })
        if status not in (200, 201):
            sys.exit(f"upserting the artifact of {m['name']} {m['version']} failed: HTTP {status} {art}")
        print(f"  artifact {art.get('id')} -> {m['uri']}")


if __name__ == "__main__":
    main()
