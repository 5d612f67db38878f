"""Classifies a scene image (sunset, forest, ocean) with a small nearest-centroid model.

The model is a data file that the export copies next to the algorithm; load() reads it once per warm
worker, which is what this algorithm exercises: data-file migration and warm loading. Input: a data:// or
http(s) image URI, or {"image": uri}. Output: {"labels": [{"label", "score"}...]} best first.
"""
import io
import json
import math
import urllib.request

import Algorithmia
from PIL import Image

from .features import features

MODEL_URI = "data://.my/SceneClassifier/scene_model.json"
client = Algorithmia.client()
MODEL = None


def load():
    global MODEL
    MODEL = json.loads(client.file(MODEL_URI).getString())


def read_image(uri):
    if uri.startswith("data://"):
        data = client.file(uri).getBytes()
    elif uri.startswith(("http://", "https://")):
        with urllib.request.urlopen(uri, timeout=30) as response:
            data = response.read()
    else:
        raise ValueError("image must be a data:// or http(s) URI, got %r" % (uri,))
    return Image.open(io.BytesIO(data))


def classify(vector, model):
    distances = [math.dist(vector, centroid) for centroid in model["centroids"]]
    weights = [math.exp(-12 * d) for d in distances]
    total = sum(weights)
    scored = [{"label": label, "score": round(w / total, 4)} for label, w in zip(model["labels"], weights)]
    return sorted(scored, key=lambda entry: entry["score"], reverse=True)


def apply(input):
    uri = input.get("image") if isinstance(input, dict) else input
    if not isinstance(uri, str):
        raise ValueError('input must be an image URI or {"image": <URI>}')
    if MODEL is None:
        load()
    return {"labels": classify(features(read_image(uri)), MODEL)}
