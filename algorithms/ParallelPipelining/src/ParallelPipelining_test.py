import unittest

from .ParallelPipelining import images_for, summarize


class ParallelPipeliningTest(unittest.TestCase):
    def test_summary(self):
        self.assertEqual(summarize([1.0, 3.0]), {"calls": 2, "min": 1.0, "max": 3.0, "average": 2.0})

    def test_batch_size_becomes_that_many_images(self):
        self.assertEqual(len(images_for(3)), 3)

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValueError):
            images_for("ten")
        with self.assertRaises(ValueError):
            images_for(0)
