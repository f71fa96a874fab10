"""The short link of a location and its QR code as inline SVG, SVG file and PNG file."""
import io

import segno

from wdp.mail.outbox import link_to

#: quiet zone in modules; the standard asks for four
BORDER = 4


def short_link(location):
    """The full short link that opens the rating form, e.g. https://wdp.be/w/ab12cd."""
    return link_to("rating_form.start", code=location.code)


def _qr(link):
    # Level M survives a creased or slightly dirty poster and keeps the code small.
    return segno.make(link, error="m")


def svg_inline(link, title):
    """An <svg> element without a fixed size, for inside an HTML page or PDF."""
    return _qr(link).svg_inline(scale=1, border=BORDER, omitsize=True, svgclass="qr",
                                lineclass=None, title=title)


def svg_file(link, title):
    """A standalone SVG file of the code."""
    out = io.BytesIO()
    _qr(link).save(out, kind="svg", scale=10, border=BORDER, title=title)
    return out.getvalue()


def png_file(link):
    """A PNG file of the code, large enough for print (10 pixels a module)."""
    out = io.BytesIO()
    _qr(link).save(out, kind="png", scale=10, border=BORDER)
    return out.getvalue()
