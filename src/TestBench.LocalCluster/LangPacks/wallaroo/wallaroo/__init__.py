"""The part of the Wallaroo SDK an orchestration's main.py touches inside a task run of TestBench's embedded
orchestration service (written from the documented behaviour, not from the SDK's code):

    import wallaroo
    if wallaroo.in_task():
        args = wallaroo.task_args()      # the task's "json" arguments
    wl = wallaroo.Client()               # no credentials needed inside a task; wl.in_task(), wl.task_args() too
"""
import json
import os

__all__ = ["in_task", "task_args", "Client"]


def in_task():
    """True inside a task run."""
    return os.environ.get("WALLAROO_TASK_ID") is not None


def task_args():
    """The arguments the task was created with (its ``json``); an empty dict outside a task."""
    text = os.environ.get("WALLAROO_TASK_ARGS")
    return json.loads(text) if text else {}


class Client:
    """A client inside a task: the run's task helpers. Model and pipeline APIs are not emulated."""

    def __init__(self, *args, **kwargs):
        self.task_id = os.environ.get("WALLAROO_TASK_ID")

    def in_task(self):
        return in_task()

    def task_args(self):
        return task_args()
