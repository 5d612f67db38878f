"""Tries, from inside algorithm code, what a tenant must not be able to do, and says what happened (standard library only).

probe(request) takes {"op": ...}:
  checks  uid, capabilities, packet and raw sockets, open_by_handle_at, a remount, a new user namespace, reads of
          request["read"] and writes into request["write"] (each: "allowed" or "denied:<errno>")
  fork    forks up to 200 processes that exec `sleep request["marker"]` and leaves them running
  memory  keeps up to 3 blocks of 1.5 GiB
  disk    writes up to 1 GiB into /tmp
  print   prints 200 MiB
"""
import ctypes
import errno
import os
import socket
import struct
import sys

MIB = 1024 * 1024
CLONE_NEWUSER = 0x10000000
MS_REMOUNT = 32
MS_BIND = 4096


def denied(error):
    return "denied:" + errno.errorcode.get(error.errno, str(error.errno))


def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return denied(error)


def libc_call(name, *arguments):
    libc = ctypes.CDLL(None, use_errno=True)
    result = getattr(libc, name)(*arguments)
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result


def open_by_handle():
    # A handle of an ext4/xfs root directory (inode 2): the kernel checks CAP_DAC_READ_SEARCH before it reads it.
    handle = ctypes.create_string_buffer(struct.pack("iiII", 8, 1, 2, 0))
    directory = os.open("/", os.O_RDONLY)
    try:
        os.close(libc_call("open_by_handle_at", directory, handle, os.O_RDONLY))
    finally:
        os.close(directory)


def remount_writable(path):
    libc_call("mount", None, path.encode(), None, ctypes.c_ulong(MS_REMOUNT | MS_BIND), None)


def read(path):
    if os.path.isdir(path):
        os.listdir(path)
    else:
        with open(path, "rb") as handle:
            handle.read(1)


def write(folder):
    with open(os.path.join(folder, "written-by-a-tenant"), "w") as handle:
        handle.write("x")


def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def checks(request):
    return {
        "uid": os.getuid(),
        "cap_eff": status("CapEff"),
        "cap_bnd": status("CapBnd"),
        "no_new_privs": status("NoNewPrivs"),
        "packet_socket": attempt(lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0).close()),
        "raw_socket": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()),
        "open_by_handle_at": attempt(open_by_handle),
        "remount": attempt(lambda: remount_writable(os.getcwd())),
        "user_namespace": attempt(lambda: libc_call("unshare", CLONE_NEWUSER)),
        "read": {path: attempt(lambda: read(path)) for path in request.get("read", [])},
        "write": {path: attempt(lambda: write(path)) for path in request.get("write", [])},
    }


def fork(request):
    started = 0
    for _ in range(200):
        try:
            child = os.fork()
        except OSError as error:
            return {"forked": started, "stopped": denied(error)}
        if child == 0:
            try:
                os.execv("/bin/sleep", ["sleep", request["marker"]])
            finally:
                os._exit(1)
        started += 1
    return {"forked": started, "stopped": None}


def memory(request):
    blocks = []
    for _ in range(3):
        try:
            blocks.append(bytearray(1536 * MIB))
        except MemoryError:
            return {"allocated_gib": 1.5 * len(blocks), "stopped": "MemoryError"}
    return {"allocated_gib": 1.5 * len(blocks), "stopped": None}


def disk(request):
    written = 0
    chunk = b"\0" * MIB
    try:
        with open(os.path.join(request.get("folder", "/tmp"), "big"), "wb") as handle:
            while written < 1024 * MIB:
                handle.write(chunk)
                handle.flush()
                written += len(chunk)
    except OSError as error:
        return {"written_mib": written // MIB, "stopped": denied(error)}
    return {"written_mib": written // MIB, "stopped": None}


def flood(request):
    line = "y" * (MIB - 1) + "\n"
    for _ in range(200):
        sys.stdout.write(line)
    sys.stdout.flush()
    return {"printed_mib": 200}


def probe(request):
    return {"checks": checks, "fork": fork, "memory": memory, "disk": disk, "print": flood}[request["op"]](request)
