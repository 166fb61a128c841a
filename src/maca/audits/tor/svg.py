"""An SVG logo in a Word document (python-docx only places PNG, JPEG, GIF, BMP and TIFF pictures).

Word 2016 and later draw the picture's `asvg:svgBlip` extension; the ordinary `a:blip`, which Word keeps for
readers without SVG support, is meant to hold a PNG rendering, but maca has no rasteriser, so it names the same
SVG part: LibreOffice draws that, and Word before 2016 shows an empty picture frame. PNG and JPEG logos need none of
this.
"""

import re

from docx.shared import Length
from lxml import etree  # type: ignore[import-untyped]

from maca.audits.tor.context import Logo

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG_BLIP_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*$")
EMU_PER_PX = 9525  # at 96 dpi
EMU_PER_UNIT = {"px": 9525, "pt": 12700, "mm": 36000, "cm": 360000, "in": 914400}


def svg_size(svg: bytes) -> tuple[int, int]:
    """The SVG's intrinsic size in EMU, from its width and height or else its viewBox (as pixels)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"the SVG logo is not well-formed XML: {error}") from error
    if root.tag not in (f"{{{SVG_NAMESPACE}}}svg", "svg"):
        raise ValueError("the SVG logo's root element is not <svg>")
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            return int(box_width * EMU_PER_PX), int(box_height * EMU_PER_PX)
    return 300 * EMU_PER_PX, 100 * EMU_PER_PX


def _length(value: str | None) -> int | None:
    match = LENGTH.match(value or "")
    if not match or float(match.group(1)) <= 0:
        return None
    return int(float(match.group(1)) * EMU_PER_UNIT[match.group(2) or "px"])


def fit(width: int, height: int, max_width: Length, max_height: Length) -> tuple[int, int]:
    scale = min(1.0, max_width / width, max_height / height)
    return int(width * scale), int(height * scale)


def svg_picture_xml(logo: Logo, rid: str, max_width: Length, max_height: Length) -> str:
    """An inline picture (`w:drawing`) showing the SVG image part related as `rid`, fitted in the maximum size."""
    width, height = fit(*svg_size(logo.content), max_width, max_height)
    return (
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/>'
        '<wp:docPr id="1" name="Logo" descr="Logo"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="logo.svg"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"><a:extLst><a:ext uri="{SVG_BLIP_EXTENSION}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
        f' r:embed="{rid}"/></a:ext></a:extLst></a:blip>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
