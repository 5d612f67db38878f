"""Fans out calls to the scene classifier on a thread pool and reports call times, like the original.

Input: a batch size (that many calls with the classifier's sample image) or a list of image URIs.
Output: {"calls", "min", "max", "average"} in seconds.
"""
import time
from concurrent.futures import ThreadPoolExecutor

import Algorithmia

CLASSIFIER = "algo://.my/SceneClassifier/latestPrivate"
SAMPLE_IMAGE = "data://.my/SceneClassifier/willow_example.jpeg"
WORKERS = 4
client = Algorithmia.client()


def timed_call(uri):
    started = time.perf_counter()
    client.algo(CLASSIFIER).set_options(timeout=120).pipe({"image": uri})
    return time.perf_counter() - started


def summarize(durations):
    if not durations:
        raise ValueError("no calls were made")
    return {
        "calls": len(durations),
        "min": min(durations),
        "max": max(durations),
        "average": sum(durations) / len(durations),
    }


def images_for(input):
    if isinstance(input, bool) or not isinstance(input, (int, list)):
        raise ValueError("input must be a batch size or a list of image URIs")
    if isinstance(input, int):
        if not 1 <= input <= 1000:
            raise ValueError("batch size must be 1..1000")
        return [SAMPLE_IMAGE] * input
    return input


def apply(input):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return summarize(list(pool.map(timed_call, images_for(input))))
