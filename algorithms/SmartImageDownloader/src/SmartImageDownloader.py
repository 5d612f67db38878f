"""Downloads an image, resizes it keeping its aspect ratio, and saves it to the algorithm's temp storage.

Input: {"image": <data:// or http(s) URL>, "resize": <longest side in pixels> | {"width": w, "height": h}}.
Output: {"savePath": <data:// URI>, "format": "JPEG"|"PNG"|..., "width": w, "height": h}.
"""
import io
import urllib.request
import uuid

import Algorithmia
from PIL import Image

client = Algorithmia.client()


def fetch(uri):
    if uri.startswith("data://"):
        return client.file(uri).getBytes()
    if uri.startswith(("http://", "https://")):
        with urllib.request.urlopen(uri, timeout=60) as response:
            return response.read()
    raise ValueError("image must be a data:// or http(s) URL, got %r" % (uri,))


def target_size(size, resize):
    """The new size: the longest side becomes `resize`, or the image fits inside {width, height}."""
    width, height = size
    if isinstance(resize, bool):
        raise ValueError("resize must be a number of pixels or {width, height}")
    if isinstance(resize, int):
        if resize < 1:
            raise ValueError("resize must be at least 1 pixel")
        scale = resize / max(width, height)
    elif isinstance(resize, dict) and all(isinstance(resize.get(k), int) and resize[k] > 0 for k in ("width", "height")):
        scale = min(resize["width"] / width, resize["height"] / height)
    else:
        raise ValueError("resize must be a number of pixels or {width, height}")
    return max(1, round(width * scale)), max(1, round(height * scale))


def resized(data, resize):
    image = Image.open(io.BytesIO(data))
    image_format = image.format or "PNG"
    result = image.resize(target_size(image.size, resize))
    buffer = io.BytesIO()
    result.save(buffer, format=image_format)
    return buffer.getvalue(), image_format, result.size


def apply(input):
    if not isinstance(input, dict) or "image" not in input:
        raise ValueError('input must be {"image": <URL>, "resize": <pixels or {width, height}>}')
    data, image_format, (width, height) = resized(fetch(input["image"]), input.get("resize", 600))
    save_path = "data://.algo/temp/%s.%s" % (uuid.uuid4().hex, image_format.lower())
    client.file(save_path).put(data)
    return {"savePath": save_path, "format": image_format, "width": width, "height": height}
