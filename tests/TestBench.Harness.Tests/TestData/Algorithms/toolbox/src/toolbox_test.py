import unittest

from .toolbox import apply


class ToolboxTest(unittest.TestCase):
    def test_echo(self):
        self.assertEqual(apply({"op": "echo", "value": [1, 2]}), [1, 2])

    def test_text(self):
        self.assertEqual(apply("a"), "text:a")
