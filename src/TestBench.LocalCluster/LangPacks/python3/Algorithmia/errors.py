"""The client's exceptions, under the names algorithms written for the platform's client import:
``from Algorithmia.errors import AlgorithmException``.

    ApiError                 an API request failed (message is the server's)
    ├── ApiInternalError     the server failed (HTTP 5xx)
    ├── DataApiError         a data operation failed
    └── AlgorithmException   a called algorithm answered an error (error_type and stack_trace are its own)
"""

__all__ = ["ApiError", "ApiInternalError", "DataApiError", "AlgorithmException"]


class ApiError(Exception):
    """A request failed; ``message`` is the server's words, ``status`` the HTTP status when there was one."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status


class ApiInternalError(ApiError):
    """The server failed (HTTP 5xx)."""


class DataApiError(ApiError):
    """A data operation failed (missing file, no permission, ...)."""


class AlgorithmException(ApiError):
    """An algorithm failed. Raised by ``pipe()`` for the called algorithm's error, and raised by algorithms themselves
    to answer an error of a given type: ``raise AlgorithmException("bad input", error_type="InputError")``."""

    def __init__(self, message, stack_trace=None, error_type=None, status=None, stacktrace=None):
        super().__init__(message, status)
        self.stack_trace = stack_trace or stacktrace
        self.error_type = error_type or "AlgorithmError"

    @property
    def stacktrace(self):
        return self.stack_trace

    def __str__(self):
        return self.message
