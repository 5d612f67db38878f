"""The data API: ``client.file("data://.my/coll/x.json")`` and ``client.dir("data://.my/coll")``.

Paths are sent as ``/v1/data/<path>`` with a leading ``data://`` or ``/`` stripped; ``.my``, ``.algo`` and ``.session``
are resolved by the server. Every failure raises DataApiError with the server's message.
"""
import json
import tempfile
import urllib.parse

from .errors import DataApiError

__all__ = ["DataFile", "DataDirectory", "data_path"]


def data_path(uri):
    """``data://.my/coll/x`` → ``.my/coll/x``."""
    for prefix in ("data://", "/"):
        if uri.startswith(prefix):
            uri = uri[len(prefix):]
    return uri


class _DataObject:
    def __init__(self, client, uri):
        self.client = client
        self.path = data_path(uri).rstrip("/")
        self.url = "/v1/data/" + urllib.parse.quote(self.path, safe="/.")

    def getName(self):
        """The last segment of the path: ``x.json`` for ``data://.my/coll/x.json``."""
        return self.path.rsplit("/", 1)[-1]

    def _request(self, method, body=None, content_type=None, query=None, parse=True):
        return self.client.request(method, self.url, body, content_type, query, parse=parse, error=DataApiError)

    def __repr__(self):
        return "%s(data://%s)" % (type(self).__name__, self.path)


class DataFile(_DataObject):
    def exists(self):
        """Whether a file is there (a folder of that name is not a file)."""
        try:
            response = self.client.raw_request("HEAD", self.url, error=DataApiError)
            response.close()
            return response.headers.get("X-Data-Type", "file") == "file"
        except DataApiError as error:
            if error.status == 404:
                return False
            raise

    def getBytes(self):
        return self._request("GET", parse=False)

    def getString(self):
        return self.getBytes().decode("utf-8")

    def getJson(self):
        return json.loads(self.getBytes())

    def getFile(self):
        """Downloads to a temporary file (streamed) and returns it open for reading; ``.name`` is its path."""
        response = self.client.raw_request("GET", self.url, error=DataApiError)
        target = tempfile.NamedTemporaryFile(delete=False)
        with response:
            while True:
                chunk = response.read(1024 * 1024)
                if not chunk:
                    break
                target.write(chunk)
        target.close()
        return open(target.name, "rb")

    def put(self, data):
        """Writes text or bytes; returns the file."""
        body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self._request("PUT", body, "application/octet-stream")
        return self

    def putJson(self, value):
        self._request("PUT", json.dumps(value).encode("utf-8"), "application/json")
        return self

    def putFile(self, path):
        """Uploads a local file, streamed."""
        with open(path, "rb") as source:
            self._request("PUT", source, "application/octet-stream")
        return self

    def delete(self):
        self._request("DELETE")
        return True


class DataDirectory(_DataObject):
    def exists(self):
        try:
            self._request("GET")
            return True
        except DataApiError as error:
            if error.status == 404:
                return False
            raise

    def create(self, acl=None):
        """Creates the folder in its parent; ``acl`` is e.g. ``{"read": ["user://*"]}``."""
        parent, _, name = self.path.rpartition("/")
        body = {"name": name}
        if acl is not None:
            body["acl"] = acl
        DataDirectory(self.client, parent)._request("POST", json.dumps(body).encode("utf-8"), "application/json")
        return self

    def delete(self, force=False):
        self._request("DELETE", query={"force": "true"} if force else None)
        return True

    def file(self, name):
        return DataFile(self.client, self.path + "/" + name)

    def dir(self, name):
        return DataDirectory(self.client, self.path + "/" + name)

    def list(self):
        """Every entry, folders before files, across every page of the listing."""
        marker = None
        while True:
            page = self._request("GET", query={"marker": marker} if marker else None)
            for folder in page.get("folders") or []:
                yield DataDirectory(self.client, self.path + "/" + folder["name"])
            for entry in page.get("files") or []:
                yield DataFile(self.client, self.path + "/" + entry["filename"])
            marker = page.get("marker")
            if not marker:
                return

    def files(self):
        return (item for item in self.list() if isinstance(item, DataFile))

    def dirs(self):
        return (item for item in self.list() if isinstance(item, DataDirectory))
