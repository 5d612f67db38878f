"""A standard-library client for algorithms, shaped like the platform's ``algorithmia`` 1.x client where algorithms touch
it (written from the API's documented behaviour, not from that client's code):

    import Algorithmia
    client = Algorithmia.client()                 # ALGORITHMIA_API_KEY and ALGORITHMIA_API from the environment
    client.algo("<user>/Classifier/latestPrivate").set_options(timeout=60).pipe({"image": uri}).result
    client.file("data://.algo/temp/out.png").put(b"...")
    [f.getName() for f in client.dir("data://.my/images").files()]
    Algorithmia.apiKey = "sim..."; Algorithmia.algo("owner/name").pipe(1)     # module-level shortcuts
    from Algorithmia.errors import AlgorithmException

Builds install it as the distribution ``algorithmia`` (version 1.99.0+testbench), so ``algorithmia>=1.0.0,<2.0`` in
requirements.txt is satisfied without a package index.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from . import errors, racetrack
from .adk import ADK
from .algorithm import Algorithm, AlgoResponse, Metadata
from .data import DataDirectory, DataFile
from .errors import AlgorithmException, ApiError, ApiInternalError, DataApiError
from .racetrack import use_racetrack

__all__ = ["client", "Client", "algo", "file", "dir", "apiKey", "apiAddress", "ADK", "errors", "AlgorithmException",
           "ApiError", "ApiInternalError", "DataApiError", "AlgoResponse", "Metadata", "Algorithm", "DataFile",
           "DataDirectory", "use_racetrack"]

DEFAULT_ADDRESS = "https://api.algorithmia.com"

#: Module-level settings for the shortcuts below; the environment's when left None.
apiKey = None
apiAddress = None


def client(api_key=None, api_address=None):
    """A client with this key and address, or ALGORITHMIA_API_KEY and ALGORITHMIA_API from the environment."""
    return Client(api_key, api_address)


def _default_client():
    return Client(apiKey, apiAddress)


def algo(path):
    return _default_client().algo(path)


def file(path):
    return _default_client().file(path)


def dir(path):
    return _default_client().dir(path)


class Client:
    def __init__(self, api_key=None, api_address=None):
        self.apiKey = api_key or os.environ.get("ALGORITHMIA_API_KEY")
        self.apiAddress = (api_address or os.environ.get("ALGORITHMIA_API") or DEFAULT_ADDRESS).rstrip("/")

    # The names this LangPack's first client used.
    @property
    def api_key(self):
        return self.apiKey

    @property
    def api_address(self):
        return self.apiAddress

    def algo(self, path):
        return Algorithm(self, path)

    def file(self, path):
        return DataFile(self, path)

    def dir(self, path):
        return DataDirectory(self, path)

    def username(self):
        """The key owner's name: the first folder of the root data listing, as the platform's clients do."""
        for entry in DataDirectory(self, "").dirs():
            return entry.getName()
        raise ApiError("the root data listing names no user")

    def request(self, method, route, body=None, content_type=None, query=None, parse=True, timeout=None, error=ApiError):
        """Sends a request; the body parsed as JSON (or the bytes, unparsed). A failure raises ``error``'s class
        (ApiInternalError for HTTP 5xx) with the server's message."""
        response = self.raw_request(method, route, body, content_type, query, timeout, error)
        with response:
            data = response.read()
        if not parse:
            return data
        return json.loads(data) if data else {}

    def raw_request(self, method, route, body=None, content_type=None, query=None, timeout=None, error=ApiError):
        if racetrack.bridge is not None:  # inside a Racetrack job: see Algorithmia.racetrack
            return racetrack.bridge.handle(method, route, body, content_type, query, timeout, error)
        url = self.apiAddress + route
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, data=body, method=method)
        if hasattr(body, "read"):  # a file: streamed, so its size must be declared
            request.add_header("Content-Length", str(os.fstat(body.fileno()).st_size))
        if self.apiKey:
            request.add_header("Authorization", "Simple " + self.apiKey)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as failure:
            raise _exception_from(failure, error) from None
        except urllib.error.URLError as failure:
            raise error("%s %s failed: %s" % (method, url, failure.reason)) from None


def _exception_from(failure, kind):
    body = failure.read()
    message = failure.headers.get("X-Error-Message") or body.decode("utf-8", "replace") or failure.reason
    error_type, stack_trace = None, None
    try:
        detail = json.loads(body)
        detail = detail.get("error", detail) if isinstance(detail, dict) else detail
        if isinstance(detail, dict):
            message = detail.get("message", message)
            error_type = detail.get("error_type")
            stack_trace = detail.get("stacktrace") or detail.get("stack_trace")
        elif isinstance(detail, str):
            message = detail
    except ValueError:
        pass
    message = "HTTP %d: %s" % (failure.code, message)
    if kind is AlgorithmException:
        return AlgorithmException(message, stack_trace, error_type, failure.code)
    if failure.code >= 500 and kind is ApiError:
        return ApiInternalError(message, failure.code)
    return kind(message, failure.code)
