"""The requests that once held the service for seconds to minutes, sent to a live server together: each is refused
at once, and an anonymous read made meanwhile is answered within 2 seconds."""

import threading
import time

import pytest
import requests
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from events.api.bounded import MAX_ITEMS
from events.services.curators import curator_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # a live server reads committed data

S001 = "001_c34876a6c97edda2"
CLAIM = {"source": S001, "field": "title", "rank": "normal", "locator": "3", "note": ""}

HEAVY = {
    # Hundreds of claims in one group: the dispute flags were refreshed once per claim, over the whole group.
    "many nested claims": (
        "/api/v1/meetings/",
        {
            "slug": "stall-talks",
            "title": "Stall talks",
            "kind": "bilateral",
            "status": "proposed",
            "format": "in_person",
            "date": "2026-03",
            "claims": [CLAIM | {"value": f"Title {i}"} for i in range(4 * MAX_ITEMS)],
        },
    ),
    # A locator range of millions of paragraphs: every one was listed in the error.
    "a huge locator range": (
        "/api/v1/claims/",
        {"subject_type": "agency", "subject": "nasa", "field": "name", "value": "NASA"}
        | {"source": S001, "locator": "1-5000000", "rank": "normal"},
    ),
    # An EDTF set of a thousand dates: parsed before its length was checked.
    "a thousand-date EDTF set": (
        "/api/v1/meetings/",
        {"slug": "stall-dates", "title": "Stall dates", "status": "held"}
        | {"date": "[" + ", ".join(f"2020-01-{1 + i % 28:02d}" for i in range(1000)) + "]"},
    ),
}


def test_heavy_requests_are_refused_at_once_and_reads_go_on(live_server, seed_committed, monkeypatch):
    monkeypatch.setattr(APIView, "throttle_classes", [])
    token = Token.objects.create(user=curator_create(username="stall", password="a-long-stall-pass-2026")).key
    answers = {}

    def send(name, path, body):
        started = time.monotonic()
        response = requests.post(
            f"{live_server.url}{path}", json=body, headers={"Authorization": f"Token {token}"}, timeout=120
        )
        answers[name] = (response.status_code, time.monotonic() - started, len(response.content))

    threads = [threading.Thread(target=send, args=(name, *HEAVY[name])) for name in HEAVY]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    read = requests.get(f"{live_server.url}/api/v1/meetings/?page_size=5", timeout=30)
    read_seconds = time.monotonic() - started
    for thread in threads:
        thread.join(120)
    assert read.status_code == 200
    assert read_seconds < 2, f"the anonymous read took {read_seconds:.1f} s"
    for name, (status, seconds, size) in answers.items():
        assert status == 400, (name, status)
        assert seconds < 2, f"{name} took {seconds:.1f} s"
        assert size < 5_000, f"{name} answered {size} bytes"
    assert set(answers) == set(HEAVY)
