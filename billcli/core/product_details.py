"""What a product shows beside its name: images, marketing features, package dimensions.

Stripe's limits: at most 8 image URLs of at most 2048 characters, at most 15 marketing
features of at most 80 characters, and package dimensions of four positive numbers
(inches and ounces). A list given replaces the one held; "" clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from billcli.core import limits
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest

MAX_IMAGES = 8
MAX_IMAGE_URL = 2048
MAX_FEATURES = 15
MAX_FEATURE_NAME = 80
DIMENSIONS = ("height", "length", "weight", "width")


def images(given: Sequence[str] | str, param: str = "images") -> list[str]:
    if given == "":
        return []
    urls = [given] if isinstance(given, str) else list(given)
    if len(urls) > MAX_IMAGES:
        raise InvalidRequest(f"Invalid {param}: at most {MAX_IMAGES} images", param=param)
    for n, url in enumerate(urls):
        http_url(url, f"{param}[{n}]", max_length=MAX_IMAGE_URL)
    return urls


def features(given: Any, param: str = "marketing_features") -> list[dict[str, str]]:
    """`[{name}]`, in order (`features` in API 2023-08-16, `marketing_features` since)."""
    if given == "":
        return []
    if not isinstance(given, Sequence) or isinstance(given, str):
        raise InvalidRequest(f"Invalid {param}: expected a list of objects", param=param)
    if len(given) > MAX_FEATURES:
        raise InvalidRequest(f"Invalid {param}: at most {MAX_FEATURES} features", param=param)
    found = []
    for n, entry in enumerate(given):
        spelled = f"{param}[{n}]"
        limits.only_keys(limits.hash_of(entry, spelled), ("name",), spelled)
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise InvalidRequest.missing(f"{spelled}[name]")
        if len(name) > MAX_FEATURE_NAME:
            raise InvalidRequest(
                f"Invalid {spelled}[name]: at most {MAX_FEATURE_NAME} characters",
                param=f"{spelled}[name]",
            )
        found.append({"name": name})
    return found


def package_dimensions(given: Any) -> dict[str, float] | None:
    if given == "" or given is None:
        return None
    limits.only_keys(limits.hash_of(given, "package_dimensions"), DIMENSIONS, "package_dimensions")
    found = {}
    for key in DIMENSIONS:
        param = f"package_dimensions[{key}]"
        try:
            value = float(str(given[key]))
        except KeyError:
            raise InvalidRequest.missing(param) from None
        except ValueError:
            raise InvalidRequest(f"Invalid {param}: not a number", param=param) from None
        if not 0 < value <= 1_000_000:
            raise InvalidRequest(f"Invalid {param}: must be more than 0", param=param)
        found[key] = value
    return found
