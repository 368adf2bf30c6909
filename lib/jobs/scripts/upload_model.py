"""Copies one Hugging Face model snapshot into S3, idempotently.

Rendered by cdk8s-vllm's ModelUploadJob. Complete means: every file of the snapshot (less the ignored
patterns) exists under the prefix with the same size. A complete model is left alone; otherwise only the
missing or different files are downloaded (resumably, onto the job's volume) and uploaded, and the result
is listed again before the job succeeds.
"""
import fnmatch
import hashlib
import json
import os
import sys


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        sys.exit(f"missing environment variable {name}")
    return value


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(8 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    from huggingface_hub import HfApi, snapshot_download
    import boto3
    from botocore.config import Config

    repo = env("HF_REPO")
    revision = env("HF_REVISION", "main")
    bucket = env("S3_BUCKET")
    prefix = env("S3_PREFIX")
    local_dir = env("LOCAL_DIR")
    ignore = json.loads(env("IGNORE_PATTERNS", "[]"))
    token = os.environ.get("HF_TOKEN") or None

    info = HfApi(token=token).model_info(repo, revision=revision, files_metadata=True)
    wanted = {
        s.rfilename: s.size
        for s in info.siblings
        if not any(fnmatch.fnmatch(s.rfilename, p) for p in ignore)
    }
    if not any(f.endswith(".safetensors") for f in wanted):
        sys.exit(f"{repo}@{revision} has no .safetensors file after ignoring {ignore}; vLLM could not load it")
    print(f"{repo}@{info.sha}: {len(wanted)} files, {sum(wanted.values()) / 1e9:.2f} GB")

    s3 = boto3.client(
        "s3",
        endpoint_url=env("S3_ENDPOINT"),
        region_name=env("AWS_DEFAULT_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10, "mode": "adaptive"}),
    )

    def listing():
        found = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                found[obj["Key"][len(prefix):]] = obj["Size"]
        return found

    existing = listing()
    missing = sorted(f for f, size in wanted.items() if existing.get(f) != size)
    if not missing:
        print(f"complete: s3://{bucket}/{prefix} already holds every file with the right size; nothing to do")
        return

    print(f"{len(missing)} of {len(wanted)} files missing or different in s3://{bucket}/{prefix}: downloading them")
    snapshot_download(repo, revision=info.sha, local_dir=local_dir, allow_patterns=missing, token=token)
    for name in missing:
        path = os.path.join(local_dir, name)
        if os.path.getsize(path) != wanted[name]:
            sys.exit(f"downloaded {name} has {os.path.getsize(path)} bytes, the snapshot says {wanted[name]}")
        print(f"uploading {name} ({wanted[name]} bytes)", flush=True)
        # the same sha256 metadata as `cdk8s-vllm upload`, so either tool recognises the other's complete files
        metadata = {"sha256": sha256(path), "hf-repo": repo, "hf-revision": info.sha}
        s3.upload_file(path, bucket, prefix + name, ExtraArgs={"Metadata": metadata})

    after = listing()
    wrong = [f for f, size in wanted.items() if after.get(f) != size]
    if wrong:
        sys.exit(f"still missing or wrong size after upload: {', '.join(sorted(wrong))}")
    print(f"complete: s3://{bucket}/{prefix} ({len(wanted)} files)")


if __name__ == "__main__":
    main()
