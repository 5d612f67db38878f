"""A standard-library Algorithmia client for algorithms: the subset real algorithms use.

    import Algorithmia
    client = Algorithmia.client()                 # ALGORITHMIA_API_KEY and ALGORITHMIA_API from the environment
    client.algo("algo://.my/Classifier/latestPrivate").set_options(timeout=60).pipe({"image": uri}).result
    client.file("data://.algo/temp/out.png").put(b"...")
    client.dir("data://.my/images").files()

Every failure raises AlgorithmException with the server's message (and error_type/stacktrace when the
failure came from another algorithm).
"""
import base64
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["client", "Client", "AlgorithmException", "AlgoResponse", "DataFile", "DataDirectory"]

DEFAULT_ADDRESS = "https://api.algorithmia.com"


class AlgorithmException(Exception):
    """A call, or a data operation, failed; message, error_type and stacktrace are the server's."""

    def __init__(self, message, error_type=None, stacktrace=None, status=None):
        super().__init__(message)
        self.message = message
        self.error_type = error_type or "AlgorithmError"
        self.stacktrace = stacktrace
        self.status = status


def client(api_key=None, api_address=None):
    return Client(api_key, api_address)


class Client:
    def __init__(self, api_key=None, api_address=None):
        self.api_key = api_key or os.environ.get("ALGORITHMIA_API_KEY")
        self.api_address = (api_address or os.environ.get("ALGORITHMIA_API") or DEFAULT_ADDRESS).rstrip("/")

    def algo(self, path):
        return Algorithm(self, path)

    def file(self, uri):
        return DataFile(self, uri)

    def dir(self, uri):
        return DataDirectory(self, uri)

    def username(self):
        """The key owner's name: the first folder of the root data listing, as the platform's clients do."""
        folders = self.request("GET", "/v1/data/").get("folders") or []
        if not folders:
            raise AlgorithmException("the root data listing names no user")
        return folders[0]["name"]

    # -- HTTP -------------------------------------------------------------------------------------------------
    def request(self, method, route, body=None, content_type=None, query=None, parse=True, timeout=None):
        response = self.raw_request(method, route, body, content_type, query, timeout)
        data = response.read()
        response.close()
        if not parse:
            return data
        return json.loads(data) if data else {}

    def raw_request(self, method, route, body=None, content_type=None, query=None, timeout=None):
        url = self.api_address + route
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, data=body, method=method)
        if hasattr(body, "read"):  # a file: streamed, so its size must be declared
            request.add_header("Content-Length", str(os.fstat(body.fileno()).st_size))
        if self.api_key:
            request.add_header("Authorization", "Simple " + self.api_key)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            raise _exception_from(error) from None
        except urllib.error.URLError as error:
            raise AlgorithmException("%s %s failed: %s" % (method, url, error.reason), "ConnectionError") from None


def _exception_from(error):
    body = error.read()
    message = error.headers.get("X-Error-Message") or body.decode("utf-8", "replace") or error.reason
    error_type, stacktrace = None, None
    try:
        parsed = json.loads(body)
        detail = parsed.get("error", parsed)
        if isinstance(detail, dict):
            message = detail.get("message", message)
            error_type = detail.get("error_type")
            stacktrace = detail.get("stacktrace") or detail.get("stack_trace")
        elif isinstance(detail, str):
            message = detail
    except ValueError:
        pass
    return AlgorithmException("HTTP %d: %s" % (error.code, message), error_type, stacktrace, error.code)


def _data_route(uri):
    path = uri
    for prefix in ("data://", "/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return "/v1/data/" + urllib.parse.quote(path, safe="/.")


# -- algorithms -----------------------------------------------------------------------------------------------
class AlgoResponse:
    def __init__(self, result, metadata):
        self.result = result
        self.metadata = metadata

    def __repr__(self):
        return "AlgoResponse(result=%r, metadata=%r)" % (self.result, self.metadata)


class Algorithm:
    def __init__(self, client, path):
        self.client = client
        ref = path[len("algo://"):] if path.startswith("algo://") else path.lstrip("/")
        parts = ref.split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise AlgorithmException("'%s' is not an algorithm reference (algo://owner/name[/version])" % path, "InputError")
        self.path = "/".join(urllib.parse.quote(p, safe=".*") for p in parts)
        self.options = {"timeout": 300}

    def set_options(self, timeout=300, stdout=False, output=None, **extra):
        self.options = {"timeout": timeout}
        if stdout:
            self.options["stdout"] = "true"
        if output:
            self.options["output"] = output
        self.options.update(extra)
        return self

    def pipe(self, input):
        if isinstance(input, (bytes, bytearray)):
            body, content_type = bytes(input), "application/octet-stream"
        elif isinstance(input, str):
            body, content_type = input.encode("utf-8"), "text/plain"
        else:
            body, content_type = json.dumps(input).encode("utf-8"), "application/json"
        # The client waits a little longer than the server's own timeout, so the server's error wins.
        answer = self.client.request("POST", "/v1/algo/" + self.path, body, content_type, self.options,
                                     timeout=float(self.options.get("timeout", 300)) + 30)
        if "error" in answer:
            error = answer["error"]
            raise AlgorithmException(error.get("message", "unknown error"), error.get("error_type"),
                                     error.get("stacktrace") or error.get("stack_trace"))
        metadata = answer.get("metadata", {})
        result = answer.get("result")
        if metadata.get("content_type") == "binary":
            result = base64.b64decode(result)
        return AlgoResponse(result, metadata)


# -- data -----------------------------------------------------------------------------------------------------
class DataFile:
    def __init__(self, client, uri):
        self.client = client
        self.uri = uri
        self.route = _data_route(uri)

    def exists(self):
        try:
            response = self.client.raw_request("HEAD", self.route)
            response.close()
            return response.headers.get("X-Data-Type", "file") == "file"
        except AlgorithmException as error:
            if error.status == 404:
                return False
            raise

    def getBytes(self):
        return self.client.request("GET", self.route, parse=False)

    def getString(self):
        return self.getBytes().decode("utf-8")

    def getJson(self):
        return json.loads(self.getBytes())

    def getFile(self):
        """Downloads to a temporary file (streamed) and returns it open for reading; .name is its path."""
        response = self.client.raw_request("GET", self.route)
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
        body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self.client.request("PUT", self.route, body, "application/octet-stream")
        return self

    def putJson(self, value):
        self.client.request("PUT", self.route, json.dumps(value).encode("utf-8"), "application/json")
        return self

    def putFile(self, path):
        with open(path, "rb") as source:
            self.client.request("PUT", self.route, source, "application/octet-stream")
        return self

    def delete(self):
        self.client.request("DELETE", self.route)
        return True


class DataDirectory:
    def __init__(self, client, uri):
        self.client = client
        self.uri = uri.rstrip("/")
        self.route = _data_route(self.uri)

    def exists(self):
        try:
            self.client.request("GET", self.route)
            return True
        except AlgorithmException as error:
            if error.status == 404:
                return False
            raise

    def create(self, acl=None):
        parent, _, name = self.uri.rpartition("/")
        body = {"name": name}
        if acl is not None:
            body["acl"] = acl
        self.client.request("POST", _data_route(parent), json.dumps(body).encode("utf-8"), "application/json")
        return self

    def delete(self, force=False):
        self.client.request("DELETE", self.route, query={"force": "true"} if force else None)
        return True

    def file(self, name):
        return DataFile(self.client, self.uri + "/" + name)

    def dir(self, name):
        return DataDirectory(self.client, self.uri + "/" + name)

    def _pages(self):
        marker = None
        while True:
            page = self.client.request("GET", self.route, query={"marker": marker} if marker else None)
            yield page
            marker = page.get("marker")
            if not marker:
                return

    def list(self):
        """Folders first, then files, across every page of the listing."""
        for page in self._pages():
            for folder in page.get("folders", []):
                yield DataDirectory(self.client, self.uri + "/" + folder["name"])
            for entry in page.get("files", []):
                yield DataFile(self.client, self.uri + "/" + entry["filename"])

    def files(self):
        return (item for item in self.list() if isinstance(item, DataFile))

    def dirs(self):
        return (item for item in self.list() if isinstance(item, DataDirectory))
