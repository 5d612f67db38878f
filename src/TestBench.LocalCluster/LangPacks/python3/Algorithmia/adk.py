"""The algorithm development kit's entry: an algorithm names its functions instead of defining ``apply``/``load``.

    from Algorithmia import ADK
    def greet(input, model): ...
    def load(): return {"greeting": "hello"}
    algorithm = ADK(greet, load)
    algorithm.init("Algorithmia")

Under this LangPack's runner ``init`` only registers the functions (the runner serves the calls); run directly
(``python src/Name.py``) it loads and answers ``init``'s payload once, printing the result.
"""
import json
import os

__all__ = ["ADK"]

#: The ADK the algorithm's module created, for the runner to serve.
registered = None


class ADK:
    def __init__(self, apply_func, load_func=None):
        if not callable(apply_func):
            raise TypeError("ADK needs the apply function as its first argument")
        self.apply_func = apply_func
        self.load_func = load_func
        self.loaded = None
        self._load_ran = False

    def load(self):
        """Runs the load function once; its value is passed to apply as the second argument."""
        if not self._load_ran:
            self.loaded = self.load_func() if self.load_func is not None else None
            self._load_ran = True
        return self.loaded

    def apply(self, input):
        if self.load_func is None:
            return self.apply_func(input)
        return self.apply_func(input, self.load())

    def init(self, local_payload=None, pprint=print):
        global registered
        registered = self
        if os.environ.get("TESTBENCH_PIPE_OUT"):
            return
        result = self.apply(local_payload)
        pprint(result if isinstance(result, str) else json.dumps(result))
