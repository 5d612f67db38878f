"""Prints, as one JSON line, what a Racetrack job's entrypoint declares without constructing it: perform's
parameters (required ones {name, type}, then optional ones {name, default_value, type}; type is the annotation's
name or null) and its input examples. Arguments: entrypoint path, entrypoint class ('' for the only one)."""
import inspect
import json
import sys

from racetrack_runner import entrypoint_class


def type_name(annotation):
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):
        return annotation
    name = getattr(annotation, "__name__", None) or getattr(annotation, "_name", None)
    return name or str(annotation).replace("typing.", "")


def parameters(perform):
    required, optional = [], []
    for parameter in list(inspect.signature(perform).parameters.values())[1:]:
        if parameter.kind == inspect.Parameter.VAR_KEYWORD:
            continue
        if parameter.kind == inspect.Parameter.VAR_POSITIONAL:
            optional.append({"name": parameter.name, "default_value": None, "type": "List[%s]" % (type_name(parameter.annotation) or "Any")})
        elif parameter.default is inspect.Parameter.empty:
            required.append({"name": parameter.name, "type": type_name(parameter.annotation)})
        else:
            default = parameter.default
            try:
                json.dumps(default)
            except TypeError:
                default = repr(default)
            optional.append({"name": parameter.name, "default_value": default, "type": type_name(parameter.annotation)})
    return required + optional


def main():
    cls = entrypoint_class(sys.argv[1], sys.argv[2] or None)
    if not callable(getattr(cls, "perform", None)):
        raise AttributeError("%s has no perform method" % cls.__name__)
    example = None
    examples = None
    # Input examples are methods of an instance in the wrapper; called unbound here, so the model is not loaded.
    try:
        if callable(getattr(cls, "docs_input_example", None)):
            example = cls.docs_input_example(None)
        if callable(getattr(cls, "docs_input_examples", None)):
            examples = cls.docs_input_examples(None)
    except Exception:  # an example that needs the constructed model is left out here, not a failed deployment
        example, examples = None, None
    print(json.dumps({"class": cls.__name__, "parameters": parameters(cls.perform),
                      "docs_input_example": example, "docs_input_examples": examples}))


if __name__ == "__main__":
    main()
