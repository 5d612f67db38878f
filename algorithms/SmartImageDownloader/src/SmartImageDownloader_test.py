import io
import unittest

from PIL import Image

from .SmartImageDownloader import resized, target_size


class SmartImageDownloaderTest(unittest.TestCase):
    def test_longest_side_keeps_aspect_ratio(self):
        self.assertEqual(target_size((400, 200), 100), (100, 50))

    def test_fits_inside_a_box(self):
        self.assertEqual(target_size((400, 200), {"width": 100, "height": 100}), (100, 50))

    def test_bad_resize_is_refused(self):
        with self.assertRaises(ValueError):
            target_size((10, 10), "big")

    def test_resized_keeps_the_format(self):
        buffer = io.BytesIO()
        Image.new("RGB", (60, 30), (1, 2, 3)).save(buffer, format="PNG")
        data, image_format, size = resized(buffer.getvalue(), 20)
        self.assertEqual((image_format, size), ("PNG", (20, 10)))
        self.assertEqual(Image.open(io.BytesIO(data)).size, (20, 10))
