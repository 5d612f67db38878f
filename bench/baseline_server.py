"""Baseline: what a user would write instead of a LangServer — the standard library's ThreadingHTTPServer
calling the same apply() directly, answering in the same response shape. Tuned to be a fair opponent:
HTTP/1.1 keep-alive (no new connection per request) and TCP_NODELAY (no 40 ms delayed-ACK stalls between the
header and body writes)."""
import importlib.util
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

algorithm_dir, name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = importlib.util.spec_from_file_location(name, "%s/src/%s.py" % (algorithm_dir, name))
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        started = time.perf_counter()
        result = module.apply(json.loads(body))
        answer = json.dumps({"result": result, "metadata": {"content_type": "json", "duration": time.perf_counter() - started}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
