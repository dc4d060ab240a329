#!/usr/bin/env python3
"""A sample xfaas function runtime: the HTTP function protocol, Python 3 standard library only.

Serves every function of a module at http://HOST:PORT/functions/<name>:

  GET  /functions/<name>  warm-up: 200 {"function": name, "ready": true, "maxBatch": N}
  POST /functions/<name>  a batch: {"function": name, "calls": [{"id", "payload", ...}]}
                          -> 200 {"results": [{"id", "ok", "result" | "error", "retryable",
                                               "throttled"}]}, one per call
  GET  /health            200 "ok"
  GET  /stats             200 {"batches": B, "calls": C, "largestBatch": L}

A function is a plain Python callable taking (payload, call) and returning any JSON value. It
raises RetryableError, FatalError or Throttled to answer a failure; any other exception is a
retryable error. See docs/contract.md, "HTTP function protocol".

Usage: python3 xfaas_runtime.py [--port 8090] [--host 127.0.0.1] [--module sample_functions]
       [--max-batch 16] [--token-file FILE]. With --port 0 a free port is chosen; the first line
       printed is always "listening on PORT".

With --token-file (or the XFAAS_RUNTIME_TOKEN environment variable) every /functions/ request must
carry "Authorization: Bearer <token>", the file's first line: others get 401. The sidecars send the
token their xfaas.sidecar.http-function-tokens-file gives this runtime's URL. /health stays open.
"""

import argparse
import hmac
import importlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RetryableError(Exception):
    """The call failed; another attempt may succeed."""


class FatalError(Exception):
    """The call failed for good; retrying cannot help."""


class Throttled(Exception):
    """The function or its downstream is overloaded: try later, and send less."""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.batches = 0
        self.calls = 0
        self.largest = 0

    def batch(self, n):
        with self.lock:
            self.batches += 1
            self.calls += n
            self.largest = max(self.largest, n)

    def as_json(self):
        with self.lock:
            return {"batches": self.batches, "calls": self.calls, "largestBatch": self.largest}


def run_call(fn, call):
    """One call's result object, per the protocol."""
    result = {"id": call.get("id")}
    try:
        value = fn(call.get("payload"), call)
        result["ok"] = True
        if value is not None:
            result["result"] = value
    except Throttled as e:
        result.update(ok=False, error=str(e) or "throttled", retryable=True, throttled=True)
    except FatalError as e:
        result.update(ok=False, error=str(e) or "fatal", retryable=False, throttled=False)
    except Exception as e:  # RetryableError and anything unexpected
        result.update(ok=False, error=str(e) or type(e).__name__, retryable=True, throttled=False)
    return result


def make_handler(functions, max_batch, stats, token=None):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the sidecar reuses its connections
        # Headers and body leave in two writes: without this, Nagle's algorithm and the client's
        # delayed ACK hold every answer back ~40 ms.
        disable_nagle_algorithm = True

        def log_message(self, fmt, *args):  # quiet: one line per call is too much
            pass

        def answer(self, status, body):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def authorized(self):
            """Whether the request carries the runtime's token (always, without one)."""
            if token is None:
                return True
            given = self.headers.get("Authorization", "")
            expected = "Bearer " + token
            # Constant-time: the comparison must not tell how much of a guess was right.
            return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))

        def refuse(self):
            data = b'{"error": "unauthorized"}'
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def function(self):
            if not self.path.startswith("/functions/"):
                return None, None
            name = self.path[len("/functions/"):].split("?")[0]
            return name, functions.get(name)

        def do_GET(self):
            if self.path == "/health":
                return self.answer(200, "ok")
            if not self.authorized():
                return self.refuse()
            if self.path == "/stats":
                return self.answer(200, stats.as_json())
            name, fn = self.function()
            if fn is None:
                return self.answer(404, {"error": "no function %r" % name})
            self.answer(200, {"function": name, "ready": True, "maxBatch": max_batch})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if not self.authorized():
                return self.refuse()
            name, fn = self.function()
            if fn is None:
                return self.answer(404, {"error": "no function %r" % name})
            try:
                calls = json.loads(body)["calls"]
            except (ValueError, KeyError, TypeError) as e:
                return self.answer(400, {"error": "not a batch: %s" % e})
            stats.batch(len(calls))
            self.answer(200, {"results": [run_call(fn, c) for c in calls]})

    return Handler


def load_functions(module_name):
    # Run as a script this module is __main__: let function modules import the same classes.
    sys.modules.setdefault("xfaas_runtime", sys.modules[__name__])
    module = importlib.import_module(module_name)
    return dict(getattr(module, "FUNCTIONS"))


def read_token(path):
    """The bearer token: the file's first line, else XFAAS_RUNTIME_TOKEN, else None (open)."""
    if path:
        with open(path, encoding="utf-8") as f:
            token = f.readline().strip()
        if not token:
            raise SystemExit("no token in %s" % path)
        return token
    return os.environ.get("XFAAS_RUNTIME_TOKEN") or None


def main(argv):
    p = argparse.ArgumentParser(description="xfaas sample function runtime")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--module", default="sample_functions")
    p.add_argument("--max-batch", type=int, default=16)
    p.add_argument("--token-file", help="requests must carry this file's first line as a bearer token")
    args = p.parse_args(argv)
    token = read_token(args.token_file)
    functions = load_functions(args.module)
    server = ThreadingHTTPServer(
        (args.host, args.port), make_handler(functions, args.max_batch, Stats(), token))
    server.daemon_threads = True
    print("listening on %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv[1:])
