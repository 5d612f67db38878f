"""Colour and texture features of an image: the classifier's model is nearest-centroid over these."""
from PIL import ImageFilter

FEATURE_NAMES = ["mean_red", "mean_green", "mean_blue", "luminance_spread", "edge_density"]


def features(image):
    small = image.convert("RGB").resize((64, 64))
    pixels = list(small.getdata())
    count = len(pixels)
    means = [sum(p[channel] for p in pixels) / count / 255.0 for channel in range(3)]
    luminance = [(0.299 * r + 0.587 * g + 0.114 * b) / 255.0 for r, g, b in pixels]
    average = sum(luminance) / count
    spread = (sum((value - average) ** 2 for value in luminance) / count) ** 0.5
    edges = small.convert("L").filter(ImageFilter.FIND_EDGES)
    density = sum(edges.getdata()) / count / 255.0
    return means + [spread, density]
