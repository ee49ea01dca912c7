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
- `rotate(-0 x y)` on texts (a rotation by nothing);
- style attributes, which WeasyPrint parses node by node with a CSS parser, become the same
  properties as attributes, save the two that matplotlib's `*` rule also sets (a rule comes
  after attributes, before the style attribute, so these stay where they were).
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
# Set by matplotlib's style sheet (`*{stroke-linejoin: round; stroke-linecap: butt}`).
RULED = frozenset(("stroke-linejoin", "stroke-linecap"))


def lean(svg: str) -> str:
    """The same picture with fewer nodes; an SVG this module does not know is returned as is."""
    root = ET.fromstring(svg)  # noqa: S314 (matplotlib's own output, made in this process)
    for metadata in root.findall(METADATA):
        root.remove(metadata)
    # The marker shapes as they are before their own style moves into attributes.
    shapes = {
        e.get("id", ""): (e.get("d", ""), e.get("style", ""))
        for e in root.iter(PATH)
        if e.get("id") and set(e.attrib) <= {"id", "d", "style"}
    }
    try:
        _flatten(root, shapes)
    except KeyError:  # a <use> of something else, or with more than a point and a style
        return svg
    return ET.tostring(root, encoding="unicode")


def _flatten(parent: ET.Element, shapes: dict[str, tuple[str, str]]) -> None:
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
    for child in children:
        _presentational(child)
    parent[:] = children


def _presentational(element: ET.Element) -> None:
    """The style attribute's properties as attributes, but for those a rule also sets."""
    style = element.attrib.pop("style", None)
    if not style:
        return
    kept = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            continue
        if name in RULED:
            kept.append(f"{name}: {value}")
        else:
            element.set(name, value)
    if kept:
        element.set("style", "; ".join(kept))


def _placed(use: ET.Element, shape: tuple[str, str]) -> ET.Element:
    """The shape a `<use>` draws, at the `<use>`'s point. Its style is the `<use>`'s, then the
    shape's own (which wins, as the shape's own properties do over those it inherits)."""
    if set(use.attrib) - {XLINK_HREF, "x", "y", "style"}:
        raise KeyError(use.get(XLINK_HREF))
    d, shape_style = shape
    style = "; ".join(s for s in (use.get("style"), shape_style) if s)
    path = ET.Element(PATH, {"d": d})
    path.set("transform", f"translate({use.get('x', '0')} {use.get('y', '0')})")
    if style:
        path.set("style", style)
    path.tail = use.tail
    return path
