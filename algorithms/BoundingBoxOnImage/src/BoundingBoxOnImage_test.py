import unittest

from PIL import Image

from .BoundingBoxOnImage import COLOUR, box_of, draw


class BoundingBoxOnImageTest(unittest.TestCase):
    def test_draws_the_outline(self):
        image = draw(Image.new("RGB", (50, 50), (0, 0, 0)), [{"coordinates": {"left": 5, "right": 40, "top": 5, "bottom": 40}}])
        self.assertEqual(image.getpixel((5, 20)), COLOUR)
        self.assertEqual(image.getpixel((20, 20)), (0, 0, 0))

    def test_empty_box_is_refused(self):
        with self.assertRaises(ValueError):
            box_of({"coordinates": {"left": 5, "right": 5, "top": 0, "bottom": 9}}, 0)
