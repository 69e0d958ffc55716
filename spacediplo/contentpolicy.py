"""CSP hashes for the few inline styles in other packages' templates, so the policy needs no 'unsafe-inline'.

They are read from the installed templates: an upgrade that changes a style changes its hash with it, and the
browser tests (tests/api/test_docs_browser.py, tests/test_browser_admin.py) catch any new inline style or script.
"""

import base64
import hashlib
import re
from importlib.resources import files


def _source(package: str, template: str) -> str:
    return (files(package) / "templates" / template).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def style_block_hashes(package: str, template: str) -> list[str]:
    """Sources for `style-src` allowing the template's <style> blocks (static text: no template tags inside)."""
    return [_hash(block) for block in re.findall(r"<style>(.*?)</style>", _source(package, template), re.DOTALL)]


def style_attribute_hashes(package: str, template: str) -> list[str]:
    """Sources for `style-src-attr` (with 'unsafe-hashes') allowing the template's style="..." attributes."""
    return [_hash(value) for value in re.findall(r'\bstyle="([^"{}]*)"', _source(package, template))]
