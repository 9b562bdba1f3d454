"""HTML to PDF with WeasyPrint, for the printed reports."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF bytes, fetching nothing but data: URIs.

    Reports are self-contained (styles and charts inline), so no address that slips into
    a template (a remark, a facility name) can make the server call out or read its files.
    """
    # Imported here: loading Pango and the fonts costs time the other pages need not pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()

