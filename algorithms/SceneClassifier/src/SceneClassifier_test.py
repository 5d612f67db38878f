import unittest

from PIL import Image

from .SceneClassifier import classify
from .features import FEATURE_NAMES, features


class SceneClassifierTest(unittest.TestCase):
    def test_features_of_a_flat_image(self):
        vector = features(Image.new("RGB", (32, 32), (255, 0, 0)))
        self.assertEqual(len(vector), len(FEATURE_NAMES))
        self.assertAlmostEqual(vector[0], 1.0)
        self.assertAlmostEqual(vector[3], 0.0)

    def test_nearest_centroid_wins(self):
        model = {"labels": ["red", "blue"], "centroids": [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0]]}
        labels = classify([0.9, 0, 0.1, 0, 0], model)
        self.assertEqual(labels[0]["label"], "red")
        self.assertAlmostEqual(sum(entry["score"] for entry in labels), 1.0, places=3)


if __name__ == "__main__":
    unittest.main()
