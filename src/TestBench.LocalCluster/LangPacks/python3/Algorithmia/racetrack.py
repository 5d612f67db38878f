"""The client's Racetrack mode: an algorithm exported by TestBench as a Racetrack job keeps its ``Algorithmia`` calls.

Racetrack has no data API and no ``/v1/algo`` route, so in this mode the client answers those routes itself:

- ``data://<owner>/<collection>/<file>`` (``.my``, ``.algo``, ``.session`` or a user name as owner) reads the files
  bundled with the job under ``<bundle>/<collection>/<file>``; writes go to a private folder, which reads see first.
- ``algo://<owner>/<Name>/<version>`` calls the job ``<name>`` (lower case, ``_`` → ``-``) through Pub at
  ``$PUB_URL`` with ``{"input": ...}``: ``latest`` for ``latestPrivate``, ``latestPublic``, a commit or no version;
  an exact ``x.y.z`` as it is. The answer comes back in the platform's ``{"result", "metadata"}`` shape.

``use_racetrack`` switches it on for every client of the process; the job's generated entrypoint calls it.
"""
import io
import json
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from .errors import AlgorithmException, ApiError, DataApiError

__all__ = ["use_racetrack", "bridge"]

#: The bridge in use, or None outside a Racetrack job.
bridge = None

_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def use_racetrack(bundle, pub_url, token=None, writable=None):
    """Answers data:// from ``bundle`` (writes into ``writable``, a private temporary folder by default) and algo://
    through Pub at ``pub_url`` with ``token`` as ``X-Racetrack-Auth``."""
    global bridge
    bridge = RacetrackBridge(bundle, pub_url, token, writable or tempfile.mkdtemp(prefix="testbench-data-"))
    return bridge


class _Answer(io.BytesIO):
    """What ``urllib.request.urlopen`` returns, as far as the client reads it."""

    def __init__(self, body=b"", status=200, headers=None):
        super().__init__(body)
        self.status = status
        self.headers = headers or {}


class RacetrackBridge:
    def __init__(self, bundle, pub_url, token, writable):
        self.bundle = os.path.abspath(bundle)
        self.pub_url = (pub_url or "").rstrip("/")
        self.token = token
        self.writable = os.path.abspath(writable)

    def handle(self, method, route, body, content_type, query, timeout, error):
        path = urllib.parse.unquote(route.split("?", 1)[0])
        if path.startswith("/v1/data/"):
            return self._data(method, path[len("/v1/data/"):], body, query, error)
        if path.startswith("/v1/algo/"):
            return self._algo(path[len("/v1/algo/"):], body, content_type, timeout)
        raise error("%s %s: a Racetrack job has no such route (TestBench's client answers data:// and algo:// only)"
                    % (method, route), 404)

    # data://

    def _local(self, data_path, error):
        parts = [p for p in data_path.strip("/").split("/") if p]
        if any(p in (".", "..") for p in parts):
            raise error("data://%s: '.' and '..' are not allowed in data paths" % data_path, 400)
        inner = parts[1:]  # the owner (.my, .algo, a user) is this job's own
        return os.path.join(self.writable, *inner), os.path.join(self.bundle, *inner), inner

    def _data(self, method, data_path, body, query, error):
        written, bundled, inner = self._local(data_path, error)
        existing = written if os.path.exists(written) else bundled
        if method in ("GET", "HEAD"):
            if os.path.isdir(written) or os.path.isdir(bundled):
                if method == "HEAD":
                    return _Answer(headers={"X-Data-Type": "directory"})
                return _Answer(json.dumps(self._listing(written, bundled)).encode("utf-8"))
            if not os.path.isfile(existing):
                raise DataApiError("data://%s does not exist in the job's bundled data" % data_path, 404)
            if method == "HEAD":
                return _Answer(headers={"X-Data-Type": "file"})
            with open(existing, "rb") as source:
                return _Answer(source.read())
        if method == "PUT":
            if not inner:
                raise error("data://%s names no file" % data_path, 400)
            os.makedirs(os.path.dirname(written), exist_ok=True)
            with open(written, "wb") as target:
                if hasattr(body, "read"):
                    shutil.copyfileobj(body, target)
                else:
                    target.write(body or b"")
            return _Answer(json.dumps({"result": "data://" + data_path}).encode("utf-8"))
        if method == "POST":  # create a folder: the body names it
            name = json.loads(body or b"{}").get("name", "")
            os.makedirs(os.path.join(written, name), exist_ok=True)
            return _Answer(b"{}")
        if method == "DELETE":
            if os.path.isdir(written):
                shutil.rmtree(written)
            elif os.path.isfile(written):
                os.remove(written)
            elif os.path.exists(bundled):
                raise error("data://%s is bundled with the job and cannot be deleted" % data_path, 400)
            else:
                raise error("data://%s does not exist" % data_path, 404)
            return _Answer(b"{}")
        raise error("%s is not a data API method" % method, 405)

    @staticmethod
    def _listing(*folders):
        files, dirs = {}, set()
        for folder in folders:
            if not os.path.isdir(folder):
                continue
            for entry in os.scandir(folder):
                if entry.is_dir():
                    dirs.add(entry.name)
                elif entry.name not in files:
                    stat = entry.stat()
                    files[entry.name] = {"filename": entry.name, "size": stat.st_size,
                                         "last_modified": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime))}
        return {"folders": [{"name": d} for d in sorted(dirs)], "files": [files[f] for f in sorted(files)]}

    # algo://

    def _algo(self, reference, body, content_type, timeout):
        parts = reference.strip("/").split("/")
        if len(parts) not in (2, 3):
            raise ApiError("algo://%s is not owner/name[/version]" % reference, 400)
        job = parts[1].lower().replace("_", "-")
        version = parts[2] if len(parts) == 3 and _SEMVER.match(parts[2]) else "latest"
        if not self.pub_url:
            raise AlgorithmException("algo://%s cannot be called here: there is no route to other algorithms (a Racetrack job "
                                     "needs PUB_URL; a Wallaroo task has none)" % reference, None, "ConfigurationError", 500)
        if content_type == "application/octet-stream":
            raise AlgorithmException("algo://%s: binary input cannot be sent to a Racetrack job (JSON only)" % reference, None, "UnsupportedError", 400)
        data = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else ""
        value = json.loads(data) if content_type == "application/json" else data
        request = urllib.request.Request("%s/job/%s/%s/api/v1/perform" % (self.pub_url, job, version),
                                         data=json.dumps({"input": value}).encode("utf-8"), method="POST")
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("X-Racetrack-Auth", self.token)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                result = json.loads(response.read() or b"null")
        except urllib.error.HTTPError as failure:
            raise _job_error(reference, failure) from None
        except urllib.error.URLError as failure:
            raise AlgorithmException("algo://%s: Pub did not answer: %s" % (reference, failure.reason), None, "ConnectionError") from None
        metadata = {"content_type": "json", "duration": time.perf_counter() - started}
        return _Answer(json.dumps({"result": result, "metadata": metadata}).encode("utf-8"))


def _job_error(reference, failure):
    text = failure.read().decode("utf-8", "replace")
    message, error_type = text, None
    try:
        detail = json.loads(text)
        if isinstance(detail, dict):
            message, error_type = detail.get("error", text), detail.get("type")
    except ValueError:
        pass
    return AlgorithmException("algo://%s answered HTTP %d: %s" % (reference, failure.code, message), None, error_type, failure.code)

