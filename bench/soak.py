"""Soak test of the embedded cluster (issue #13), standard library only.

Starts the cluster executable on 127.0.0.1, pushes one healthy and four faulty algorithms (crashing, hanging,
printing, leaking), calls them from a few threads for a fixed time, and reports: server RSS and open file
descriptors at start and end, calls sent against calls answered (each exactly once), answers by status, and
processes left behind after the cluster stops. Prints Markdown for docs/benchmarks.md.

usage: python3 bench/soak.py CLUSTER_EXECUTABLE SECONDS THREADS
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ALGORITHMS = {
    # name: (source, weight of calls, input)
    "Healthy": ("def apply(input):\n    return input\n", 70, "1"),
    "Crasher": ("import os\n\ndef apply(input):\n    os._exit(3)\n", 5, "1"),
    "Hanger": ("import time\n\ndef apply(input):\n    time.sleep(30)\n", 5, "1"),
    "Printer": ("def apply(input):\n    for _ in range(5000):\n        print('x' * 1023)\n    return 'printed'\n", 10, "1"),
    "Leaker": ("held = []\n\ndef apply(input):\n    held.append(bytearray(256 * 1024 * 1024))\n    return len(held)\n", 10, "1"),
}


def request(base, key, method, path, body=None, content_type="application/json", timeout=60):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Simple " + key)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rss_and_fds(pid):
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) // 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def processes_mentioning(text):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if text.encode() in cmdline.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def push(base, user, key, name, source, work):
    url = base.replace("http://", f"http://{user}:{key}@") + f"git/{user}/{name}.git"
    repo = os.path.join(work, name)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", "clone", "--quiet", url, repo], check=True, env=env)
    with open(os.path.join(repo, "src", name + ".py"), "w") as file:
        file.write(source)
    for args in (["add", "."], ["-c", "user.name=soak", "-c", "user.email=soak@localhost", "commit", "--quiet", "-m", "soak"], ["push", "--quiet"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout.strip()


def main():
    executable, seconds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if not (10 <= seconds <= 3600 and 1 <= threads <= 32):
        sys.exit("seconds must be 10..3600 and threads 1..32")
    data = tempfile.mkdtemp(prefix="testbench-soak-")
    work = tempfile.mkdtemp(prefix="testbench-soak-git-")
    cluster = subprocess.Popen(
        [executable, "cluster", "--data", data, "--announce", "json", "--stop-with-input", "--log-level", "warning",
         "--user", "soak", "--worker-memory-mb", "512"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    announcement = json.loads(cluster.stdout.readline())
    base, key = announcement["address"], announcement["user_keys"]["soak"]
    threading.Thread(target=cluster.stdout.read, daemon=True).start()

    shas = {}
    for name, (source, _, _) in ALGORITHMS.items():
        status, body = request(base, key, "POST", "v1/algorithms/soak", json.dumps({"name": name, "details": {"label": name}, "settings": {
            "language": "python3-1", "environment": "cpu", "license": "apl", "network_access": "full",
            "pipeline_enabled": True, "source_visibility": "closed"}}))
        assert status == 200, (name, status, body)
        shas[name] = push(base, "soak", key, name, source, work)
    for name, sha in shas.items():
        for _ in range(600):
            status, body = request(base, key, "GET", f"v1/algorithms/soak/{name}/builds")
            builds = [b for b in json.loads(body)["results"] if b["commit_sha"] == sha]
            if builds and builds[0]["status"] != "in-progress":
                assert builds[0]["status"] == "succeeded", (name, builds[0])
                break
            time.sleep(0.5)

    # Warm every algorithm once so the start figures include a worker per version.
    for name in ALGORITHMS:
        request(base, key, "POST", f"v1/algo/soak/{name}/{shas[name]}?timeout=2", "1")
    start_rss, start_fds = rss_and_fds(cluster.pid)
    weighted = [name for name, (_, weight, _) in ALGORITHMS.items() for _ in range(weight)]
    lock = threading.Lock()
    sent = answered = client_errors = 0
    statuses, outcomes = {}, {}
    deadline = time.monotonic() + seconds

    def caller(index):
        nonlocal sent, answered, client_errors
        i = index
        while time.monotonic() < deadline:
            name = weighted[i % len(weighted)]
            i += 7
            with lock:
                sent += 1
            try:
                status, body = request(base, key, "POST", f"v1/algo/soak/{name}/{shas[name]}?timeout=2", ALGORITHMS[name][2], timeout=30)
                try:
                    answer = json.loads(body)
                    kind = "result" if "result" in answer else answer.get("error", {}).get("error_type", "error")
                except ValueError:
                    kind = "not JSON"
                with lock:
                    answered += 1
                    statuses[status] = statuses.get(status, 0) + 1
                    outcomes[(name, kind)] = outcomes.get((name, kind), 0) + 1
            except OSError:
                with lock:
                    client_errors += 1

    workers = [threading.Thread(target=caller, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    end_rss, end_fds = rss_and_fds(cluster.pid)

    cluster.stdin.close()
    cluster.wait(timeout=60)
    time.sleep(1)
    left = processes_mentioning(data)
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)

    print(f"Soak: {seconds} s, {threads} calling threads, {len(ALGORITHMS)} algorithms (weights "
          + ", ".join(f"{n} {w} %" for n, (_, w, _) in ALGORITHMS.items()) + "), worker memory limit 512 MiB\n")
    print("| measure | start | end |")
    print("|---|---:|---:|")
    print(f"| server RSS (MiB) | {start_rss} | {end_rss} |")
    print(f"| server open file descriptors | {start_fds} | {end_fds} |")
    print(f"\ncalls sent {sent}, answered {answered}, failed at the client (no answer) {client_errors}; "
          f"answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    print("\n| algorithm | outcome | answers |")
    print("|---|---|---:|")
    for (name, kind), count in sorted(outcomes.items()):
        print(f"| {name} | {kind} | {count} |")
    print(f"\nprocesses left that mention the cluster's data folder after it stopped: {len(left)}")


if __name__ == "__main__":
    main()
