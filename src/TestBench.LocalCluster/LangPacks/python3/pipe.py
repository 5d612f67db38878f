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
import signal
import sys
import threading
import time
import traceback

HANDSHAKE = "PIPE_INIT_COMPLETE"
# Printed after a call's output, before its answer, when the call printed anything: tells the server that
# the call's prints are complete. Answers then carry "printed": true (the server ignores unknown fields).
CALL_END = "\x1ePIPE_CALL_END"


class WatchedStream:
    """Passes writes through to a stream and remembers whether any happened since the last reset."""

    def __init__(self, stream):
        self._stream = stream
        self.written = False

    def write(self, text):
        if text:
            self.written = True
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def watch_parent(parent_pid):
    """Exit when the server that started us is gone, even if apply() never returns."""
    while True:
        time.sleep(1)
        if os.getppid() != parent_pid:
            os._exit(70)


def parent_of(pid):
    """The parent of a process and whether it is a zombie; None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), fields[0] == b"Z"
    except (OSError, IndexError, ValueError):
        return None


def line_of(pid):
    """This process and its ancestors up to the namespace's init (pid 1)."""
    line = set()
    while pid > 1 and pid not in line:
        line.add(pid)
        pid = (parent_of(pid) or (0, False))[0]
    line.add(1)
    return line


def last_pid():
    """The last pid the PID namespace handed out (to a process or a thread): unchanged means nothing was started."""
    descriptor = os.open("/proc/sys/kernel/ns_last_pid", os.O_RDONLY)
    try:
        return os.read(descriptor, 32)
    finally:
        os.close(descriptor)


class StrayHunter:
    """Ends what a call left running, so that no process outlives its call. Only in a sandbox: there the worker has a
    PID namespace of its own, and every process in it but this runner, its ancestors and what load() started (made
    before the first call, when this hunter is made) is the calls' doing."""

    def __init__(self):
        self.kept = line_of(os.getpid()) | {pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))}
        self.seen = last_pid()

    def end_strays(self):
        """Kills the strays and waits (at most 2 s) until they are gone, passing again for one that forked as it died
        (forks are bounded by the sandbox's process limit); returns how many there were."""
        if last_pid() == self.seen:
            return 0  # the common case: one read instead of a scan of /proc
        killed = set()
        deadline = time.monotonic() + 2
        while True:
            reap_children()
            strays = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                      if pid not in self.kept and (parent_of(pid) or (0, True))[1] is False]
            if not strays or time.monotonic() > deadline:
                break
            for stray in strays:
                try:
                    os.kill(stray, signal.SIGKILL)
                    killed.add(stray)
                except OSError:
                    pass
            time.sleep(0.001)  # SIGKILL is delivered asynchronously: give the dying a moment
        self.seen = last_pid()
        return len(killed)


def reap_children():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def load_module(name):
    # The algorithm root, for `src.<name>`; this LangPack's folder, for the `Algorithmia` client module.
    sys.path.insert(0, os.getcwd())
    sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))
    return importlib.import_module("src." + name)


def load_handler(name):
    """What answers calls: the module's apply(input) after its optional load(), or the ADK the module set up."""
    module = load_module(name)
    if callable(getattr(module, "apply", None)):
        if callable(getattr(module, "load", None)):
            module.load()
        return module
    adk = sys.modules.get("Algorithmia.adk")
    if adk is not None and adk.registered is not None:
        adk.registered.load()
        return adk.registered
    raise AttributeError("src/%s.py defines no apply(input) function and sets up no ADK" % name)


def decode_input(request):
    content_type = request.get("content_type")
    data = request.get("data")
    if content_type in ("text", "json"):
        return data
    if content_type == "binary":
        return base64.b64decode(data)
    raise ValueError("unsupported content_type %r" % (content_type,))


def encode_result(value):
    """The answer line for a result; raises TypeError for a result JSON cannot represent."""
    if isinstance(value, (bytes, bytearray)):
        return json.dumps({"result": base64.b64encode(bytes(value)).decode("ascii"), "metadata": {"content_type": "binary"}})
    if isinstance(value, str):
        return json.dumps({"result": value, "metadata": {"content_type": "text"}})
    return json.dumps({"result": value, "metadata": {"content_type": "json"}})


def encode_error(error, error_type=None):
    return json.dumps({
        "error": {
            "message": str(error),
            "stacktrace": traceback.format_exc(),
            # MemoryError is named so the server can tell a worker that hit its memory limit from other errors.
            "error_type": error_type or getattr(error, "error_type", None)
            or ("MemoryError" if isinstance(error, MemoryError) else "AlgorithmError"),
        }
    })


def answer(out, line):
    printed = sys.stdout.written or sys.stderr.written
    if printed:
        sys.stderr.flush()
        sys.stdout.write(CALL_END + "\n")
        sys.stdout.flush()
        # Mark the answer: {"result": ...} becomes {"printed": true, "result": ...}.
        line = '{"printed": true, ' + line[1:]
    sys.stdout.written = sys.stderr.written = False
    out.write(line + "\n")
    out.flush()


def main():
    name = os.environ["TESTBENCH_ALGORITHM_NAME"]
    serve(lambda: load_handler(name))


def serve(make_handler):
    """Runs the protocol: make_handler() once (its failure answers every call), then one answer per request line
    from handler.apply(input). Other runners (racetrack_runner.py) bring their own handler."""
    out_path = os.environ["TESTBENCH_PIPE_OUT"]
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    # One stream for all output, in the order it was written, also for C extensions and subprocesses.
    os.dup2(sys.stdout.fileno(), sys.stderr.fileno())
    sys.stdout = WatchedStream(sys.stdout)
    sys.stderr = WatchedStream(sys.stderr)

    load_error = None
    handler = None
    try:
        handler = make_handler()
    except Exception as error:  # reported on every call, like the ADK's LoadingError
        load_error = encode_error(error, "LoadingError")

    hunter = StrayHunter() if os.environ.get("TESTBENCH_SANDBOXED") == "1" else None
    # The server holds the FIFO open for reading for the worker's whole life, so one open here is enough.
    out = open(out_path, "w", encoding="utf-8")
    print(HANDSHAKE, flush=True)
    sys.stdout.written = sys.stderr.written = False  # load-time prints go with the first call that prints
    for line in sys.stdin:
        if not line.strip():
            continue
        if load_error is not None:
            answer(out, load_error)
            continue
        try:
            response = encode_result(handler.apply(decode_input(json.loads(line))))
        except Exception as error:
            response = encode_error(error)
        strays = hunter.end_strays() if hunter else 0
        if strays:
            print("[TestBench: %d process(es) the call left running were killed]" % strays, file=sys.stderr, flush=True)
        answer(out, response)


if __name__ == "__main__":
    main()
