"""The smallest algorithm: proves the build, the runtime and the call path work."""


def apply(input):
    return "hello " + str(input)
