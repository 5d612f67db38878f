"""Calling algorithms: ``client.algo("owner/name/version").set_options(timeout=60).pipe(input)``."""
import base64
import json
import urllib.parse

from .errors import AlgorithmException, ApiError, ApiInternalError

__all__ = ["Algorithm", "AlgoResponse", "Metadata"]


class Metadata:
    """An answer's metadata: ``content_type`` (text, json, binary or void), ``duration`` in seconds, and ``stdout`` when
    it was asked for. Also readable as a dict (``metadata["content_type"]``), as this LangPack's first client offered."""

    def __init__(self, fields):
        self._fields = dict(fields or {})
        self.content_type = self._fields.get("content_type")
        self.duration = self._fields.get("duration")
        self.stdout = self._fields.get("stdout")

    def __getitem__(self, key):
        return self._fields[key]

    def get(self, key, default=None):
        return self._fields.get(key, default)

    def __contains__(self, key):
        return key in self._fields

    def __repr__(self):
        return "Metadata(content_type=%r, duration=%r)" % (self.content_type, self.duration)


class AlgoResponse:
    """A successful call: ``result`` (bytes for a binary answer) and its ``metadata``."""

    def __init__(self, result, metadata):
        self.result = result
        self.metadata = metadata if isinstance(metadata, Metadata) else Metadata(metadata)

    def __repr__(self):
        return "AlgoResponse(result=%r, metadata=%r)" % (self.result, self.metadata)


class Algorithm:
    """An algorithm reference: ``algo://owner/name[/version]``, ``/owner/name[/version]`` or ``owner/name[/version]``."""

    def __init__(self, client, path):
        self.client = client
        ref = path[len("algo://"):] if path.startswith("algo://") else path.lstrip("/")
        parts = ref.split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise ApiError("'%s' is not an algorithm reference (algo://owner/name[/version])" % path)
        self.path = "/".join(urllib.parse.quote(p, safe=".*") for p in parts)
        self.url = "/v1/algo/" + self.path
        self.query_parameters = {"timeout": 300}
        self.output_type = "default"

    def set_options(self, timeout=300, stdout=False, output="default", **query_parameters):
        """Options of the following calls; returns the algorithm, so calls chain."""
        self.query_parameters = {"timeout": timeout}
        if stdout:
            self.query_parameters["stdout"] = "true"
        self.output_type = output or "default"
        if self.output_type != "default":
            self.query_parameters["output"] = self.output_type
        self.query_parameters.update(query_parameters)
        return self

    def pipe(self, input1):
        """Calls the algorithm with ``input1``: None → JSON null, str → text, bytes → binary, anything else → JSON.
        Returns an AlgoResponse; raises AlgorithmException for the algorithm's error. With ``output="raw"`` returns the
        answer's text; with ``output="void"`` returns the server's acknowledgement."""
        if isinstance(input1, (bytes, bytearray)):
            body, content_type = bytes(input1), "application/octet-stream"
        elif isinstance(input1, str):
            body, content_type = input1.encode("utf-8"), "text/plain"
        else:
            body, content_type = json.dumps(input1).encode("utf-8"), "application/json"
        # The client waits a little longer than the server's own timeout, so the server's error wins.
        timeout = float(self.query_parameters.get("timeout", 300)) + 30
        if self.output_type == "raw":
            return self._raw(body, content_type, timeout)
        answer = self.client.request("POST", self.url, body, content_type, self.query_parameters, timeout=timeout, error=AlgorithmException)
        if self.output_type == "void":
            return answer
        if "error" in answer:
            error = answer["error"] if isinstance(answer["error"], dict) else {"message": str(answer["error"])}
            raise AlgorithmException(error.get("message", "unknown error"), error.get("stacktrace") or error.get("stack_trace"),
                                     error.get("error_type"))
        metadata = Metadata(answer.get("metadata"))
        result = answer.get("result")
        if metadata.content_type == "binary":
            result = base64.b64decode(result)
        return AlgoResponse(result, metadata)

    def _raw(self, body, content_type, timeout):
        try:
            return self.client.request("POST", self.url, body, content_type, self.query_parameters, parse=False, timeout=timeout).decode("utf-8")
        except ApiError as error:
            if error.status is not None and error.status >= 500:
                raise ApiInternalError(error.message, error.status) from None
            raise
