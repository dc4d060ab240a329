"""Sample functions for xfaas_runtime.py: FUNCTIONS maps a name to a callable(payload, call)."""

from xfaas_runtime import FatalError, RetryableError, Throttled


def greet(payload, call):
    """{"name": N} -> {"greeting": "hello N"}."""
    name = (payload or {}).get("name", "world")
    return {"greeting": "hello %s" % name, "attempt": call.get("attempt")}


def behave(payload, call):
    """Answers as {"as": "ok" | "error" | "fatal" | "throttle"} says: each signal of the protocol."""
    mode = (payload or {}).get("as", "ok")
    if mode == "error":
        raise RetryableError("asked to fail, attempt %s" % call.get("attempt"))
    if mode == "fatal":
        raise FatalError("asked to fail for good")
    if mode == "throttle":
        raise Throttled("asked to throttle")
    return {"id": call.get("id")}


FUNCTIONS = {"greet": greet, "behave": behave}
