"""The benchmark's algorithm: as little work as possible, so the serving path is what gets measured."""


def apply(input):
    return {"echo": input}
