"""An article's text from what a curator gives: pasted text, or a .txt or .html file (its text extracted with
trafilatura). The API, the admin and `ingest_source` all read uploads here, with the same bounds."""

from pathlib import PurePath

from django.core.exceptions import ValidationError

# An article is a few thousand words in some dozens of paragraphs; a megabyte of HTML is already a long page.
ARTICLE_MAX_CHARS = 200_000
ARTICLE_MAX_PARAGRAPHS = 500
UPLOAD_MAX_BYTES = 2_000_000
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")


def article_text_checked(text: str) -> str:
    if len(text) > ARTICLE_MAX_CHARS:
        raise ValidationError(
            f"An article's text is at most {ARTICLE_MAX_CHARS:,} characters (this has {len(text):,})."
        )
    if "\x00" in text:
        raise ValidationError("The text holds a NUL character: it is not text.")
    if not text.strip():
        raise ValidationError("The text is empty.")
    paragraphs = sum(1 for line in text.splitlines() if line.strip())
    if paragraphs > ARTICLE_MAX_PARAGRAPHS:
        raise ValidationError(f"An article has at most {ARTICLE_MAX_PARAGRAPHS} paragraphs (this has {paragraphs:,}).")
    return text


def article_text_from_file(*, name: str, content: bytes) -> str:
    """The text of an uploaded .txt (UTF-8) or .html file."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError(f"Upload a .txt or .html file (not {suffix or 'a file without a suffix'}).")
    if len(content) > UPLOAD_MAX_BYTES:
        raise ValidationError(f"A file is at most {UPLOAD_MAX_BYTES:,} bytes (this has {len(content):,}).")
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The file is not UTF-8 text (byte {exc.start} cannot be read).") from exc
    if suffix == ".txt":
        return article_text_checked(decoded)
    return article_text_checked(_html_text(decoded))


def _html_text(html: str) -> str:
    import trafilatura  # imported when an HTML file comes: it takes a while to load

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        raise ValidationError("No article text could be found in this HTML.")
    return text
