"""Runs a Racetrack python3 job over the LangServer pipe protocol (see pipe.py), with the job type's semantics:
the entrypoint module is TESTBENCH_ENTRYPOINT_PATH (relative to the job folder), its class
TESTBENCH_ENTRYPOINT_CLASS or else the one class the module defines itself; the class is constructed once at
load, and each request's JSON object becomes perform's keyword arguments. Errors carry the exception's class name
as error_type; a TypeError while calling (a missing or unknown argument) becomes a ValueError prefixed
"failed to call a function: ", as the job wrapper does.
"""
import importlib.util
import inspect
import os
import sys

import pipe


class JobError(Exception):
    """An exception of the job, named by its class for the answer."""

    def __init__(self, error, message=None):
        super().__init__(message if message is not None else str(error))
        self.error_type = type(error).__name__


def entrypoint_class(path, class_name):
    """The entrypoint class: the named one, or the only class the module defines itself (imported ones ignored)."""
    sys.path.insert(0, os.getcwd())
    spec = importlib.util.spec_from_file_location("job_entrypoint", os.path.join(os.getcwd(), path))
    if spec is None:
        raise FileNotFoundError("entrypoint_path %s is not a Python file" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["job_entrypoint"] = module
    spec.loader.exec_module(module)
    if class_name:
        found = getattr(module, class_name, None)
        if not inspect.isclass(found):
            raise AttributeError("%s defines no class %s" % (path, class_name))
        return found
    own = [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
    if len(own) != 1:
        raise AttributeError("%s must define exactly one class (it defines %d: %s), or name it in entrypoint_class"
                             % (path, len(own), ", ".join(c.__name__ for c in own) or "none"))
    return own[0]


class Job:
    def __init__(self, instance):
        self.instance = instance

    def apply(self, input):
        if input is None:
            input = {}
        if not isinstance(input, dict):
            raise JobError(ValueError(), "the request body must be a JSON object of perform's arguments, not %s" % type(input).__name__)
        try:
            return self.instance.perform(**input)
        except TypeError as error:
            raise JobError(ValueError(), "failed to call a function: %s" % error)
        except Exception as error:
            raise JobError(error)


def load_job():
    cls = entrypoint_class(os.environ["TESTBENCH_ENTRYPOINT_PATH"], os.environ.get("TESTBENCH_ENTRYPOINT_CLASS"))
    return Job(cls())


if __name__ == "__main__":
    pipe.serve(load_job)
