"""Matplotlib's SVG made cheaper for WeasyPrint to draw, the picture unchanged.

WeasyPrint walks an SVG node by node in Python: each node is cascaded (its style attribute
parsed with tinycss2) and drawn, and a `<use>` looks its target up in the tree first. Matplotlib
wraps nearly every line and label in a `<g id="...">` of its own and draws each marker as a
`<use>` of one shape, so a client's chart of a few dozen lines is several hundred nodes. Here
the SVG loses what draws nothing:
- the `<metadata>` block;
- `<g>` elements with no attribute but an id (matplotlib's names, never referenced): their
  children move up into the parent;
- each `<use>` of a marker becomes the marker's path translated to the point (what WeasyPrint
  draws for the `<use>`, without the lookup);
- `rotate(-0 x y)` on texts (a rotation by nothing).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
G = f"{{{SVG_NS}}}g"
USE = f"{{{SVG_NS}}}use"
PATH = f"{{{SVG_NS}}}path"
TEXT = f"{{{SVG_NS}}}text"
METADATA = f"{{{SVG_NS}}}metadata"


def lean(svg: str) -> str:
    """The same picture with fewer nodes; an SVG this module does not know is returned as is."""
    root = ET.fromstring(svg)  # noqa: S314 (matplotlib's own output, made in this process)
    for metadata in root.findall(METADATA):
        root.remove(metadata)
    shapes = {e.get("id"): e for e in root.iter(PATH) if e.get("id")}
    try:
        _flatten(root, shapes)
    except KeyError:  # a <use> of something else, or with more than a point and a style
        return svg
    return ET.tostring(root, encoding="unicode")


def _flatten(parent: ET.Element, shapes: dict[str, ET.Element]) -> None:
    children: list[ET.Element] = []
    for child in parent:
        _flatten(child, shapes)
        if child.tag == G and set(child.attrib) <= {"id"}:
            children.extend(child)
        elif child.tag == USE:
            children.append(_placed(child, shapes[child.get(XLINK_HREF, "")[1:]]))
        else:
            if child.tag == TEXT and child.get("transform", "").startswith("rotate(-0 "):
                del child.attrib["transform"]
            children.append(child)
    parent[:] = children


def _placed(use: ET.Element, shape: ET.Element) -> ET.Element:
    """The shape a `<use>` draws, at the `<use>`'s point. Its style is the `<use>`'s, then the
    shape's own (which wins, as the shape's own properties do over those it inherits)."""
    extra = set(use.attrib) - {XLINK_HREF, "x", "y", "style"}
    if extra or set(shape.attrib) - {"id", "d", "style"}:
        raise KeyError(use.get(XLINK_HREF))
    style = "; ".join(s for s in (use.get("style"), shape.get("style")) if s)
    path = ET.Element(PATH, {"d": shape.get("d", "")})
    path.set("transform", f"translate({use.get('x', '0')} {use.get('y', '0')})")
    if style:
        path.set("style", style)
    path.tail = use.tail
    return path
