#!/usr/bin/python3
"""Makes artifacts/: the sample images, the scene classifier's model and the code_path tarball.

Everything is drawn from fixed seeds, so the files are reproducible and free of licences. Needs Pillow
(Debian: python3-pil); run with Debian's interpreter:  /usr/bin/python3 scripts/make-artifacts.py
The model is nearest-centroid over algorithms/SceneClassifier/src/features.py, on images drawn with other
seeds than the samples, so the samples are honest test inputs.
"""
import io
import json
import os
import random
import sys
import tarfile

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "algorithms", "SceneClassifier", "src"))
from features import FEATURE_NAMES, features  # noqa: E402

ARTIFACTS = os.path.join(ROOT, "artifacts")
SIZE = (320, 240)


def gradient(draw, top, bottom):
    for y in range(SIZE[1]):
        t = y / (SIZE[1] - 1)
        draw.line([(0, y), (SIZE[0], y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))


def sunset(rng):
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    gradient(draw, (250, 120 + rng.randint(0, 40), 40), (120, 30, 60))
    x, r = rng.randint(80, 240), rng.randint(25, 45)
    draw.ellipse((x - r, 150 - r, x + r, 150 + r), fill=(255, 220, 90))
    draw.rectangle((0, 190, SIZE[0], SIZE[1]), fill=(40, 20, 30))
    return image


def forest(rng):
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    gradient(draw, (150, 190, 160), (40, 90, 40))
    for _ in range(rng.randint(25, 40)):
        x, h = rng.randint(-10, SIZE[0]), rng.randint(60, 160)
        green = (rng.randint(10, 50), rng.randint(70, 140), rng.randint(10, 50))
        draw.polygon([(x, SIZE[1] - h), (x - 18, SIZE[1]), (x + 18, SIZE[1])], fill=green)
    return image


def ocean(rng):
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    gradient(draw, (150, 200, 240), (10, 60, 140))
    for y in range(120, SIZE[1], rng.randint(9, 14)):
        draw.arc((rng.randint(-40, 0), y, SIZE[0] + 40, y + 12), 0, 180, fill=(200, 230, 255), width=2)
    return image


SCENES = {"sunset": sunset, "forest": forest, "ocean": ocean}


def jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def model():
    centroids = []
    for index, draw_scene in enumerate(SCENES.values()):
        vectors = [features(Image.open(io.BytesIO(jpeg(draw_scene(random.Random(1000 + 37 * index + seed)))))) for seed in range(12)]
        centroids.append([round(sum(column) / len(column), 5) for column in zip(*vectors)])
    return {"labels": list(SCENES), "features": FEATURE_NAMES, "centroids": centroids}


def packed_source():
    files = {
        "requirements.txt": "",
        "src/__init__.py": "",
        "src/HelloPacked.py": '"""Shipped as a tarball on the source cluster (code_path), not as a template."""\n\n\ndef apply(input):\n    return "packed hello " + str(input)\n',
        "src/HelloPacked_test.py": "import unittest\n\nfrom .HelloPacked import apply\n\n\nclass HelloPackedTest(unittest.TestCase):\n    def test_greets(self):\n        self.assertEqual(apply(1), \"packed hello 1\")\n",
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in sorted(files.items()):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write(name, data):
    with open(os.path.join(ARTIFACTS, name), "wb") as target:
        target.write(data)
    print("wrote artifacts/%s (%d bytes)" % (name, len(data)))


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    write("willow_example.jpeg", jpeg(forest(random.Random(7))))
    write("sunset_example.jpeg", jpeg(sunset(random.Random(8))))
    write("ocean_example.jpeg", jpeg(ocean(random.Random(9))))
    write("scene_model.json", (json.dumps(model(), indent=2) + "\n").encode("utf-8"))
    write("hello_packed.tar.gz", packed_source())


if __name__ == "__main__":
    main()
