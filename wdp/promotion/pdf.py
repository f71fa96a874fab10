"""HTML to PDF with WeasyPrint; our print templates are self-contained, so nothing is fetched."""
import logging

# WeasyPrint reports every layout step at INFO, from its import on: noise in our log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML, URLFetcher  # noqa: E402  (after the logger is quieted)


class _NoFetching(URLFetcher):
    """Refuse every URL: a document can never read file:// or reach another site."""

    def fetch(self, url, headers=None):
        raise ValueError(f"fetching is off in WDP's PDFs: {url}")


def html_to_pdf(html):
    """The tagged PDF of a complete HTML document; <title> and <html lang> become its metadata."""
    # Tags give the text its reading order and headings for screen readers.
    return HTML(string=html, base_url="about:blank", url_fetcher=_NoFetching()).write_pdf(
        pdf_tags=True)
