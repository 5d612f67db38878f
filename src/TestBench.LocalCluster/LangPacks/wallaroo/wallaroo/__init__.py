"""The part of the Wallaroo SDK an orchestration's main.py touches inside a task run of TestBench's embedded
orchestration service (written from the documented behaviour, not from the SDK's code):

    import wallaroo
    if wallaroo.in_task():
        args = wallaroo.task_args()      # the task's "json" arguments
    wl = wallaroo.Client()               # no credentials needed inside a task; wl.in_task(), wl.task_args() too

Anything else of the SDK (pipelines, models, workspaces, ...) is not emulated: using it raises NotEmulatedError,
which names the call, instead of an AttributeError that would read like a bug in the orchestration.
"""
import json
import os

from . import object  # noqa: F401  (wallaroo.object.EntityNotFoundError, as the SDK has it)

__all__ = ["in_task", "task_args", "Client", "NotEmulatedError", "__version__"]

# The Wallaroo release whose documented behaviour this module follows, with a local version label.
__version__ = "2024.1.0+testbench"


class NotEmulatedError(NotImplementedError):
    """A Wallaroo SDK call that TestBench's embedded Wallaroo does not emulate."""

    def __init__(self, call):
        super().__init__(
            f"{call} is not emulated by TestBench's embedded Wallaroo: inside a task run it offers wallaroo.in_task(), "
            "wallaroo.task_args() and wallaroo.Client() with in_task() and task_args(); pipelines, models and "
            "workspaces need a real Wallaroo")
        self.call = call


def in_task():
    """True inside a task run."""
    return os.environ.get("WALLAROO_TASK_ID") is not None


def task_args():
    """The arguments the task was created with (its ``json``); an empty dict outside a task."""
    text = os.environ.get("WALLAROO_TASK_ARGS")
    return json.loads(text) if text else {}


class _Auth:
    """``Client().auth``: the embedded Wallaroo gives a task run no API credential (its tasks show ``auth_init: false``)."""

    def auth_header(self):
        raise NotEmulatedError("wallaroo.Client().auth.auth_header() (a task run here has no API credential: auth_init is false)")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotEmulatedError(f"wallaroo.Client().auth.{name}")


class Client:
    """A client inside a task: the run's task helpers. Model and pipeline APIs are not emulated."""

    def __init__(self, *args, **kwargs):
        self.task_id = os.environ.get("WALLAROO_TASK_ID")
        self.auth = _Auth()

    def in_task(self):
        return in_task()

    def task_args(self):
        return task_args()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotEmulatedError(f"wallaroo.Client().{name}")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotEmulatedError(f"wallaroo.{name}")
