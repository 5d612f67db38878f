"""A test algorithm whose input picks what it does, so one warm worker can show every runtime behaviour."""
import os
import sys
import time

LOADS = 0


class InputError(Exception):
    error_type = "InputError"


def load():
    global LOADS
    LOADS += 1
    print("loading toolbox")


def apply(input):
    if isinstance(input, (bytes, bytearray)):
        return bytes(reversed(input))
    if isinstance(input, str):
        return "text:" + input
    op = input.get("op")
    if op == "echo":
        return input.get("value")
    if op == "pid":
        return {"pid": os.getpid(), "loads": LOADS}
    if op == "raise":
        raise InputError("bad input: " + str(input.get("value")))
    if op == "sleep":
        print("sleeping", input["seconds"])
        sys.stdout.flush()
        if "marker" in input:
            open(input["marker"], "w").close()
        time.sleep(input["seconds"])
        return "slept"
    if op == "hog":
        return len(bytearray(int(input["mb"]) * 1024 * 1024))
    if op == "flood":
        chunk = "x" * 1023
        for _ in range(int(input["mb"] * 1024)):
            print(chunk)
        print("y" * int(input["line_mb"] * 1024 * 1024))
        return "flooded"
    if op == "big":
        if input.get("print"):
            print("about to answer big")
        return "z" * int(input["mb"] * 1024 * 1024)
    if op == "print":
        print("to stdout")
        print("to stderr", file=sys.stderr)
        return "printed"
    if op == "env":
        return sorted(os.environ)
    if op == "exit":
        print("about to die")
        sys.stdout.flush()
        os._exit(3)
    if op == "unserializable":
        return {"value": object()}
    raise ValueError("unknown op %r" % (op,))
