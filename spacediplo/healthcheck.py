"""The container's health check: `python -m spacediplo.healthcheck [URL]` exits 0 when the app's /healthz answers 200
(the app is serving and its database answers), 1 otherwise, saying why on stderr.

URL defaults to http://127.0.0.1:$PORT/healthz (PORT 8000, as the container serves). The request names a host the
site serves (the first of DJANGO_ALLOWED_HOSTS), as any other host would be refused with a 400. /healthz is never
redirected to HTTPS, so this works with DJANGO_HTTPS=1 too.
"""

import http.client
import os
import sys
from urllib.parse import urlsplit

TIMEOUT = 5  # seconds; the compose file's check allows a little more


def served_host(allowed_hosts: str) -> str:
    """A Host header the site accepts, from DJANGO_ALLOWED_HOSTS' value (comma-separated, as settings.py reads it)."""
    for host in (item.strip() for item in allowed_hosts.split(",")):
        if host and host != "*":
            return host.lstrip(".")  # ".example.org" allows example.org and its subdomains
    return "localhost"


def check(url: str, host: str) -> str:
    """Why the app is not healthy at `url` (empty when it is)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": host})
        response = connection.getresponse()
        body = response.read(500).decode(errors="replace")
    except OSError as error:
        return f"{url}: {error}"
    finally:
        connection.close()
    return "" if response.status == 200 else f"{url} answered {response.status}: {body}"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    problem = check(url, served_host(os.environ.get("DJANGO_ALLOWED_HOSTS", "")))
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
