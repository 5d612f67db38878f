"""Draws labelled bounding boxes on an image and saves the result (the original tool's payload shape).

Input: {"imageUrl": <data:// or http(s)>, "imageSaveUrl": <data:// URI>, "boundingBoxes": [{"coordinates":
{"left", "right", "top", "bottom"}, "textObjects": [{"text", "position": "top"|"bottom"}]}]}.
Output: {"output": <imageSaveUrl>, "boxes": <number drawn>}.
"""
import io
import urllib.request

import Algorithmia
from PIL import Image, ImageDraw

client = Algorithmia.client()
COLOUR = (255, 64, 0)


def fetch(uri):
    if uri.startswith("data://"):
        return client.file(uri).getBytes()
    if uri.startswith(("http://", "https://")):
        with urllib.request.urlopen(uri, timeout=60) as response:
            return response.read()
    raise ValueError("imageUrl must be a data:// or http(s) URL, got %r" % (uri,))


def box_of(entry, index):
    try:
        c = entry["coordinates"]
        left, right, top, bottom = (int(c[k]) for k in ("left", "right", "top", "bottom"))
    except (KeyError, TypeError, ValueError):
        raise ValueError("boundingBoxes[%d].coordinates needs whole-number left, right, top and bottom" % index)
    if left >= right or top >= bottom:
        raise ValueError("boundingBoxes[%d] is empty: left < right and top < bottom are required" % index)
    return left, top, right, bottom


def draw(image, boxes):
    canvas = ImageDraw.Draw(image)
    for index, entry in enumerate(boxes):
        left, top, right, bottom = box_of(entry, index)
        canvas.rectangle((left, top, right, bottom), outline=COLOUR, width=3)
        for text in entry.get("textObjects", []):
            y = top + 4 if text.get("position", "top") == "top" else bottom - 14
            canvas.text((left + 4, y), str(text.get("text", "")), fill=COLOUR)
    return image


def apply(input):
    if not isinstance(input, dict) or not all(k in input for k in ("imageUrl", "imageSaveUrl", "boundingBoxes")):
        raise ValueError("input needs imageUrl, imageSaveUrl and boundingBoxes")
    image = Image.open(io.BytesIO(fetch(input["imageUrl"])))
    image_format = image.format or "PNG"
    result = draw(image.convert("RGB"), input["boundingBoxes"])
    buffer = io.BytesIO()
    result.save(buffer, format=image_format)
    folder = input["imageSaveUrl"].rsplit("/", 1)[0]
    if folder.startswith("data://.algo/") and not client.dir(folder).exists():
        client.dir(folder).create()
    client.file(input["imageSaveUrl"]).put(buffer.getvalue())
    return {"output": input["imageSaveUrl"], "boxes": len(input["boundingBoxes"])}
