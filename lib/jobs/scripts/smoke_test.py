"""Asks a deployed model whether it answers: the in-cluster smoke test of cdk8s-vllm.

Calls GET <url>/v1/models and one short POST <url>/v1/chat/completions (temperature 0), and fails unless
the service serves the model and answers well-formed JSON with a non-empty choices[0].message.content.
Python 3 standard library only (the vLLM image has python3 and nothing needs installing).

Exit codes, as `cdk8s-vllm smoke`: 0 the model answered; 1 the service answered wrongly or not in time;
2 it could not be asked as told (unreachable address, TLS verification, 401/403, a redirect, settings).
"""
import json
import signal
import ssl
import sys
import time
import urllib.error
import urllib.request

SETTINGS = {}  # cdk8s-vllm: settings

PROMPT = "Reply with the single word: ready"
MAX_ANSWER_BYTES = 4 << 20


class Failure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Deadline(Exception):
    pass


def on_deadline(signum, frame):
    raise Deadline()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def first_line(text, limit=160):
    for line in text.splitlines():
        line = "".join(c if c.isprintable() else " " for c in line).strip()
        if line:
            return line[:limit] + ("…" if len(line) > limit else "")
    return ""


def error_message(text):
    """vLLM's {"error": {"message", "type"}}, its older flat {"object": "error", "message"}, or FastAPI's {"detail"}."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    nested = doc.get("error") if isinstance(doc.get("error"), dict) else {}
    message = nested.get("message", doc.get("message", doc.get("detail")))
    kind = nested.get("type", doc.get("type"))
    if message is None:
        return None
    if not isinstance(message, str):
        message = json.dumps(message)[:300]
    return (kind + ": " if isinstance(kind, str) else "") + first_line(message, 300)


def main():
    url = SETTINGS["url"].rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    model = SETTINGS["model"]
    timeout = float(SETTINGS["timeoutSeconds"])
    max_tokens = int(SETTINGS["maxTokens"])
    headers = {"Accept": "application/json"}
    token_path = SETTINGS.get("tokenPath")
    if token_path:
        try:
            with open(token_path) as f:
                token = f.read(1 << 20).strip()
        except OSError as e:
            raise Failure(2, f"cannot read the token file {token_path}: {e.strerror}")
        if not token:
            raise Failure(2, f"the token file {token_path} is empty")
        headers["Authorization"] = "Bearer " + token
    context = ssl.create_default_context()
    if SETTINGS.get("caPath"):
        try:
            context.load_verify_locations(cafile=SETTINGS["caPath"])
        except (OSError, ssl.SSLError) as e:
            raise Failure(2, f"cannot load the CA bundle {SETTINGS['caPath']}: {e}")
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    # one deadline for the whole test: urllib's timeout is per socket operation, so a server that trickles
    # its answer would never trip it
    deadline = time.monotonic() + timeout
    signal.signal(signal.SIGALRM, on_deadline)
    signal.setitimer(signal.ITIMER_REAL, timeout)

    def call(method, path, body=None):
        what = f"{method} {path}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url + path, data=data, method=method, headers=dict(headers, **({"Content-Type": "application/json"} if data else {})))
        try:
            resp = opener.open(req, timeout=max(0.1, deadline - time.monotonic()))
            status, raw, ctype = resp.status, resp.read(MAX_ANSWER_BYTES + 1), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(MAX_ANSWER_BYTES + 1), e.headers.get("Content-Type", "") if e.headers else ""
            if status in (401, 403):
                hint = ("the token is valid but may not use this service: grant its ServiceAccount 'get' on the InferenceService"
                        if status == 403 else
                        "the token was refused (expired, or not a token of this cluster)" if token_path else
                        "the service requires a token: mount one and set its path")
                raise Failure(2, f"{what} answered HTTP {status}: {hint}")
            if 300 <= status < 400:
                raise Failure(2, f"{what} answered HTTP {status} to {e.headers.get('Location')}: give that address as the URL")
            text = raw.decode("utf-8", "replace")
            message = error_message(text)
            if message and "chat template" in message.lower():
                raise Failure(1, f"{what} failed: the model has no usable chat template (HTTP {status}: {message}); give vLLM one with --chat-template")
            raise Failure(1, f"{what} answered HTTP {status}: {message or first_line(text) or '(empty body)'}")
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise Failure(2, f"TLS verification of {url} failed ({reason.verify_message}): mount the CA that signed its certificate and set its path")
            if isinstance(reason, ssl.SSLError):
                raise Failure(2, f"TLS with {url} failed ({reason}): does the server speak TLS?")
            if isinstance(reason, ConnectionResetError):
                raise Failure(1, f"{url} reset the connection before answering")
            if isinstance(reason, (TimeoutError, OSError)) and "timed out" in str(reason):
                raise Failure(1, f"{url} did not answer {what} within {timeout:g} s (the whole smoke test)")
            raise Failure(2, f"cannot reach {url} ({reason}): check the address and that the service runs")
        except ConnectionResetError:
            raise Failure(1, f"{url} reset the connection during {what}")
        except TimeoutError:
            raise Failure(1, f"{url} did not answer {what} within {timeout:g} s (the whole smoke test)")
        if len(raw) > MAX_ANSWER_BYTES:
            raise Failure(1, f"{what} answered more than {MAX_ANSWER_BYTES >> 20} MiB, not a short JSON answer")
        text = raw.decode("utf-8", "replace")
        try:
            return json.loads(text)
        except ValueError:
            shown = "an HTML page" if "html" in ctype.lower() or text.lstrip().lower().startswith(("<!doctype html", "<html")) else repr(first_line(text, 80)) if text.strip() else "an empty body"
            raise Failure(1, f"{what} answered HTTP {status} with {shown}, not JSON: is the URL the model's OpenAI-compatible endpoint?")

    started = time.monotonic()
    models = call("GET", "/v1/models")
    data = models.get("data") if isinstance(models, dict) else None
    if not isinstance(data, list):
        raise Failure(1, f"GET /v1/models answered JSON without a 'data' list of models: {json.dumps(models)[:120]}")
    served = [m["id"] for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]
    if model not in served:
        listed = ", ".join(repr(s) for s in served) or "no model"
        raise Failure(1, f"the service serves {listed}, not {model!r}: check the InferenceService's name or vLLM's --served-model-name")
    chat = call("POST", "/v1/chat/completions", {
        "model": model,
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": max_tokens,
        "temperature": 0,
    })
    choices = chat.get("choices") if isinstance(chat, dict) else None
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise Failure(1, f"POST /v1/chat/completions answered JSON without choices[0].message: {json.dumps(chat)[:120]}")
    if isinstance(chat.get("model"), str) and chat["model"] != model:
        raise Failure(1, f"POST /v1/chat/completions answered as model {chat['model']!r}, not {model!r}")
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise Failure(1, f"choices[0].message.content is {json.dumps(content)[:120]}, not a string")
    if not (content or "").strip():
        reasoning = message.get("reasoning_content") or message.get("reasoning")
        why = f"the answer is all reasoning: raise maxTokens ({max_tokens})" if isinstance(reasoning, str) and reasoning.strip() else "the model generated nothing"
        raise Failure(1, f"the chat completion's choices[0].message.content is {'empty' if content == '' else 'missing'}: {why}")
    signal.setitimer(signal.ITIMER_REAL, 0)
    print(f"ok: {url} serves {model!r} and answered in {time.monotonic() - started:.2f} s: {json.dumps(first_line(content, 200))}")


if __name__ == "__main__":
    try:
        main()
    except Failure as f:
        print(f"FAILED: {f}", file=sys.stderr)
        sys.exit(f.code)
    except Deadline:
        print(f"FAILED: {SETTINGS['url']} did not finish answering within {float(SETTINGS['timeoutSeconds']):g} s (the whole smoke test)", file=sys.stderr)
        sys.exit(1)
