"""The bare pipe round trip: drive the LangPack runner directly (stdin line in, FIFO line out) with no HTTP
and no server, and print the latency percentiles in microseconds."""
import json
import os
import subprocess
import sys
import tempfile
import time

runner, python, algorithm_dir, name, calls = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
fifo_dir = tempfile.mkdtemp()
fifo = os.path.join(fifo_dir, "algoout")
os.mkfifo(fifo)
env = {"PATH": "/usr/bin:/bin", "TESTBENCH_ALGORITHM_NAME": name, "TESTBENCH_PIPE_OUT": fifo}
reader = open(os.open(fifo, os.O_RDWR), "r")  # read-write, as the server does: opening never blocks
child = subprocess.Popen([python, "-u", runner], cwd=algorithm_dir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
while "PIPE_INIT_COMPLETE" not in child.stdout.readline():
    pass
line = json.dumps({"content_type": "json", "data": {"n": 1}}) + "\n"
samples = []
for i in range(calls):
    started = time.perf_counter()
    child.stdin.write(line)
    child.stdin.flush()
    reader.readline()
    samples.append((time.perf_counter() - started) * 1e6)
child.stdin.close()
child.wait()
samples.sort()
print(json.dumps({"p50_us": samples[len(samples) // 2], "p99_us": samples[int(len(samples) * 0.99)], "calls": calls}))
