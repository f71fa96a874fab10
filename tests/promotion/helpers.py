"""Read back what a person gets from the promotion material: PDF text, metadata, QR codes."""
import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import zxingcpp
from PIL import Image


def pdf_pages_text(data):
    doc = pdfium.PdfDocument(data)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in doc]
    finally:
        doc.close()


def pdf_language(data):
    doc = pdfium.PdfDocument(data)
    try:
        size = pdfium_raw.FPDFCatalog_GetLanguage(doc.raw, None, 0)
        buffer = (ctypes.c_ushort * (size // 2))()
        pdfium_raw.FPDFCatalog_GetLanguage(doc.raw, buffer, size)
        return bytes(buffer).decode("utf-16-le").rstrip("\x00")
    finally:
        doc.close()


def pdf_metadata(data):
    doc = pdfium.PdfDocument(data)
    try:
        return doc.get_metadata_dict(), len(doc), bool(pdfium_raw.FPDFCatalog_IsTagged(doc.raw))
    finally:
        doc.close()


def decode_image(image):
    """Every QR code a real decoder finds in the picture, as text."""
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def decode_pdf_page(data, page=0, dpi=150, grey=True):
    """Print the page at `dpi` (in grey, as a black-and-white printer would) and decode it."""
    doc = pdfium.PdfDocument(data)
    try:
        bitmap = doc[page].render(scale=dpi / 72, grayscale=grey)
        return decode_image(bitmap.to_pil())
    finally:
        doc.close()


def decode_png(data):
    return decode_image(Image.open(io.BytesIO(data)))


def decode_svg(data):
    """Draw the SVG file 80 mm wide on a page (WeasyPrint's own SVG renderer) and decode it."""
    import base64

    from weasyprint import HTML
    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode()
    page = f'<html><body><img src="{uri}" style="width: 80mm"></body></html>'
    return decode_pdf_page(HTML(string=page).write_pdf())
