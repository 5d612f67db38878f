import unittest

from .failing_test import apply


class FailingTest(unittest.TestCase):
    def test_expects_the_wrong_thing(self):
        self.assertEqual(apply(1), 2, "deliberately wrong expectation")
