import unittest

from .hello_world import apply


class HelloWorldTest(unittest.TestCase):
    def test_greets_the_input(self):
        self.assertEqual(apply("Algorithmia"), "hello Algorithmia")

    def test_turns_non_text_into_text(self):
        self.assertEqual(apply(42), "hello 42")


if __name__ == "__main__":
    unittest.main()
