"""TestBench Python LangPack pipe runner (standard library only).

Speaks the LangServer pipe protocol: loads src/<name>.py from the working directory, calls its optional
load() once, prints PIPE_INIT_COMPLETE, then answers one JSON request line from stdin at a time by calling
apply(input). Each answer is one JSON line on the output FIFO named by TESTBENCH_PIPE_OUT (several workers
run side by side, so there is no fixed /tmp/algoout), in the shapes the LangServer accepts:
  {"result": ..., "metadata": {"content_type": "text"|"json"|"binary"}}
  {"error": {"message": ..., "stacktrace": ..., "error_type": ...}}
The algorithm's own prints go to stdout/stderr, which the server captures separately from results.
"""
import base64
import importlib
import json
import os
import sys
import threading
import time
import traceback

HANDSHAKE = "PIPE_INIT_COMPLETE"
# Printed after each call's output, before its answer: tells the server the call's prints are complete.
CALL_END = "\x1ePIPE_CALL_END"


def watch_parent(parent_pid):
    """Exit when the server that started us is gone, even if apply() never returns."""
    while True:
        time.sleep(1)
        if os.getppid() != parent_pid:
            os._exit(70)


def load_module(name):
    sys.path.insert(0, os.getcwd())
    return importlib.import_module("src." + name)


def decode_input(request):
    content_type = request.get("content_type")
    data = request.get("data")
    if content_type in ("text", "json"):
        return data
    if content_type == "binary":
        return base64.b64decode(data)
    raise ValueError("unsupported content_type %r" % (content_type,))


def encode_result(value):
    if isinstance(value, (bytes, bytearray)):
        return {"result": base64.b64encode(bytes(value)).decode("ascii"), "metadata": {"content_type": "binary"}}
    if isinstance(value, str):
        return {"result": value, "metadata": {"content_type": "text"}}
    # Serialize here so an unserializable result is reported as the algorithm's error.
    return {"result": json.loads(json.dumps(value)), "metadata": {"content_type": "json"}}


def encode_error(error, error_type=None):
    return {
        "error": {
            "message": str(error),
            "stacktrace": traceback.format_exc(),
            "error_type": error_type or getattr(error, "error_type", None) or "AlgorithmError",
        }
    }


def answer(out_path, response):
    sys.stderr.flush()
    print(CALL_END, flush=True)
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(json.dumps(response) + "\n")


def main():
    name = os.environ["TESTBENCH_ALGORITHM_NAME"]
    out_path = os.environ["TESTBENCH_PIPE_OUT"]
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    # One stream for all output, in the order it was written, also for C extensions and subprocesses.
    os.dup2(sys.stdout.fileno(), sys.stderr.fileno())

    load_error = None
    module = None
    try:
        module = load_module(name)
        if callable(getattr(module, "load", None)):
            module.load()
        if not callable(getattr(module, "apply", None)):
            raise AttributeError("src/%s.py defines no apply(input) function" % name)
    except Exception as error:  # reported on every call, like the ADK's LoadingError
        load_error = encode_error(error, "LoadingError")

    print(HANDSHAKE, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        if load_error is not None:
            answer(out_path, load_error)
            continue
        try:
            response = encode_result(module.apply(decode_input(json.loads(line))))
        except Exception as error:
            response = encode_error(error)
        answer(out_path, response)


if __name__ == "__main__":
    main()
