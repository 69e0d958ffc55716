"""Load test: curators and readers on gunicorn over real HTTP for a while, then `check_data` on what is left.

Run through scripts/loadtest.sh. It recreates a dedicated PostgreSQL database (LOAD_DATABASE_URL), loads the seed
data and a synthetic set, serves the app under production settings and runs LOAD_CLIENTS threads for LOAD_SECONDS.
Each thread keeps one keep-alive connection and sends about 80% reads, 20% curator work (create a meeting with its
participants and claims, edit it with If-Match, add a claim and deprecate it, edit one of two shared meetings that
every thread edits, delete the meeting). A 412 on a shared meeting is the right answer to a race and is counted,
not failed. An error is a 5xx, a connection failure or timeout, a body that is not JSON where JSON is expected, a
status not expected for the request, or a lost write. Exits 1 on any error or any `check_data` finding.
"""

import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"
S001, S003 = "001_c34876a6c97edda2", "003_007efc6446bec603"  # two seed sources
CURATOR = "load-curator"
SHARED = ("load-shared-1", "load-shared-2")


def setting(name, default):
    return type(default)(os.environ.get(f"LOAD_{name}", default))


def manage(env, *args, capture=False):
    """Run one manage.py command of this project (fixed arguments, never user input)."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, text=True, check=False
    )
    if capture:
        print(done.stdout, end="")
        print(done.stderr, end="", file=sys.stderr)
    if done.returncode and args[0] != "check_data":
        raise SystemExit(f"load: manage.py {args[0]} failed with exit status {done.returncode}")
    return done


def app_env(url, static_root):
    """Production settings: DEBUG off, a random secret key, loopback only, no rate limits."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="spacediplo.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(static_root),
        API_THROTTLE="0",
    )
    return env


def recreate_database(url):
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(env, url):
    """A fresh database with the seed data, the synthetic set, a curator and the curator's API token."""
    print(f"load: recreating {urlsplit(url).path.lstrip('/')}, migrating, loading data")
    recreate_database(url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_seed_data")
    sizes = {k: setting(k.upper(), v) for k, v in {"meetings": 2000, "launches": 500, "people": 300}.items()}
    manage(env, "generate_synthetic", *(f"--{k}={v}" for k, v in sizes.items()), f"--seed={setting('SEED', 1)}")
    manage(env | {"CURATOR_PASSWORD": secrets.token_urlsafe(24)}, "createcurator", CURATOR)
    token = manage(env, "drf_create_token", CURATOR, capture=True).stdout.split()[2]
    manage(env, "collectstatic", "--no-input", "-v0")
    return token


def data_pools(url):
    """Slugs, ids and dates the readers pick from, and what a new meeting needs, read from the database."""

    def column(query):
        with psycopg.connect(url) as conn:
            return [row[0] for row in conn.execute(query)]

    return {
        "meeting": column("SELECT slug FROM events_meeting ORDER BY random() LIMIT 300"),
        "launch": column("SELECT slug FROM events_launch ORDER BY random() LIMIT 200"),
        "agency": column("SELECT slug FROM events_agency"),
        "head_agency": column(
            "SELECT DISTINCT a.slug FROM events_agency a JOIN events_tenure t ON t.agency_id = a.id WHERE t.is_head"
        ),
        "person": column("SELECT slug FROM events_person ORDER BY random() LIMIT 200"),
        "tenure": column("SELECT id FROM events_tenure ORDER BY random() LIMIT 200"),
        "place": column("SELECT slug FROM events_place"),
        "topic": column("SELECT slug FROM events_topic"),
        "source": column("SELECT slug FROM events_source"),
        "date": [
            d.isoformat()
            for d in column("SELECT DISTINCT date_earliest FROM events_meeting WHERE date_earliest IS NOT NULL")
        ],
        "word": sorted(
            {
                w
                for t in column("SELECT title FROM events_meeting LIMIT 500")
                for w in t.split()
                if w.isalpha() and len(w) > 3
            }
        ),
        "guest": column("SELECT id FROM events_tenure WHERE slug = 'jared-isaacman-nasa-administrator'")[0],
        "host": column("SELECT id FROM events_tenure WHERE slug = 'dmitry-bakanov-roscosmos-director-general'")[0],
    }


def read_path(rng, pool):
    """One read, as (kind, path, expected status): lists with filters, details, timeline, heads, conflicts."""
    pick = rng.choice
    date, later = sorted(rng.sample(pool["date"], 2))
    meeting_filters = [
        {"status": pick(["held", "planned", "proposed"])},
        {"kind": pick(["bilateral", "multilateral", "site_visit"]), "ordering": pick(["date", "-date", "title"])},
        {"agency": pick(pool["agency"])},
        {"person": pick(pool["person"])},
        {"head_of": pick(pool["head_agency"])},
        {"date_after": date, "date_before": later},
        {"q": pick(pool["word"])},
        {"place": pick(pool["place"]), "topic": pick(pool["topic"])},
        {"page": 2, "page_size": 20},
    ]
    choices = [
        ("meetings list", f"{API}/meetings/?{urlencode(pick(meeting_filters))}", 200),
        ("meeting detail", f"{API}/meetings/{pick(pool['meeting'])}/", 200),
        ("launches list", f"{API}/launches/?{urlencode({'date_after': date, 'ordering': '-date'})}", 200),
        ("launch detail", f"{API}/launches/{pick(pool['launch'])}/", 200),
        ("agencies", f"{API}/agencies/{pick(['', pick(pool['agency']) + '/'])}", 200),
        ("people", f"{API}/people/?{urlencode({'agency': pick(pool['agency'])})}", 200),
        ("person detail", f"{API}/people/{pick(pool['person'])}/", 200),
        ("tenures", f"{API}/tenures/?{urlencode({'is_head': 'true', 'active_on': date})}", 200),
        ("tenure detail", f"{API}/tenures/{pick(pool['tenure'])}/", 200),
        ("timeline", f"{API}/timeline/?{urlencode({'date_after': date, 'date_before': later})}", 200),
        ("timeline", f"{API}/timeline/?{urlencode({'agency': pick(pool['agency'])})}", 200),
        ("heads", f"{API}/agencies/{pick(pool['head_agency'])}/heads/?on={date}", 200),
        (
            "conflicts",
            f"{API}/conflicts/?{urlencode(pick([{}, {'resolved': 'true'}, {'subject_type': 'meeting'}]))}",
            200,
        ),
        ("claims list", f"{API}/claims/?{urlencode({'source': pick(pool['source']), 'rank': 'preferred'})}", 200),
        ("bad filter 400", f"{API}/meetings/?date_after=soon", 400),
        ("missing 404", f"{API}/meetings/no-such-meeting-{rng.randrange(10**6)}/", 404),
    ]
    return pick(choices)


# What the load test's writes rest on where no claim gives their values: the curator's own judgement.
SUPPORT = {"note": "Written by the load test; states nothing about the world."}


def meeting_body(slug, pool, title):
    """A valid new meeting: two participants in posts that cover its date, two claims from one source, and the
    curator's judgement for its other values."""
    return {
        "support": SUPPORT,
        "slug": slug,
        "title": title,
        "kind": "bilateral",
        "status": "proposed",
        "format": "in_person",
        "date": {"edtf": "2026-03", "text": "March 2026"},
        "place": "moscow",
        "topics": ["iss-operations"],
        "participants": [
            {"person": "jared-isaacman", "agency": "nasa", "tenure": pool["guest"], "role": "guest"},
            {"person": "dmitry-bakanov", "agency": "roscosmos", "tenure": pool["host"], "role": "host"},
        ],
        "claims": [
            {"source": S001, "field": "status", "value": "proposed", "rank": "normal", "locator": "11", "note": ""},
            {
                "source": S001,
                "field": "participants",
                "value": "dmitry-bakanov,jared-isaacman",
                "rank": "normal",
                "locator": "10-11",
                "note": "",
            },
        ],
    }


class Stats:
    """Per kind of request: statuses and latencies; errors with a few examples; shared-record writes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)
        self.latencies = defaultdict(list)
        self.errors = Counter()
        self.examples = []
        self.shared_writes = []  # (record, If-Match used, title written) of each 200

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds)

    def error(self, kind, what):
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples) < 15:
                self.examples.append(f"{kind}: {what}")


class Client:
    """One curator-and-reader over one keep-alive connection."""

    def __init__(self, number, base, token, pool, stats, seed):
        self.number, self.token, self.pool, self.stats = number, token, pool, stats
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.rng = random.Random(seed * 1000 + number)  # noqa: S311 - a reproducible mix, not a secret
        self.conn = None
        self.reads = self.writes = self.created = 0
        self.step, self.meeting, self.claim = 0, None, None

    def request(self, kind, method, path, body=None, expect=(200,), etag=None):
        """Send one request; return (status, JSON body or None, ETag), or (None, None, None) after a failure."""
        headers = {"Accept": "application/json"}
        if method != "GET":
            headers["Authorization"] = f"Token {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        if etag:
            headers["If-Match"] = etag
        started = time.perf_counter()
        try:
            if self.conn is None:
                # A write now also writes a claim for each value it sets (about 400 queries to create a meeting):
                # with 8 writers on 2 cores its p99 reached 7.5 s, so a slow answer is not taken for a dead one.
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = None
            self.stats.record(kind, type(exc).__name__, time.perf_counter() - started)
            self.stats.error(kind, f"{method} {path}: {exc!r}")
            return None, None, None
        self.stats.record(kind, response.status, time.perf_counter() - started)
        data = None
        if response.status != 204:
            try:
                data = json.loads(raw)
            except ValueError:
                self.stats.error(kind, f"{method} {path}: {response.status}, not JSON: {raw[:120]!r}")
                return response.status, None, None
        if response.status not in expect:
            self.stats.error(kind, f"{method} {path}: {response.status}, expected {expect}: {raw[:300]!r}")
        return response.status, data, response.getheader("ETag")

    def run(self, stop_at, write_share):
        while time.monotonic() < stop_at:
            if self.writes < write_share * (self.reads + self.writes):
                self.write_step()
            else:
                kind, path, status = read_path(self.rng, self.pool)
                self.request(kind, "GET", path, expect=(status,))
                self.reads += 1
        if self.meeting:  # leave nothing of its own behind
            self.step = 5
            self.write_step()
        if self.conn:
            self.conn.close()

    def write_step(self):
        """The next step of the curator's round: create, edit, add a claim, deprecate it, edit shared, delete."""
        steps = (self.create, self.edit_own, self.add_claim, self.deprecate_claim, self.edit_shared, self.delete)
        step = steps[self.step]
        self.step = (self.step + 1) % len(steps)
        self.writes += step()  # requests sent; a step with nothing to act on sends none, and the round moves on

    def fresh(self, kind, path):
        status, data, etag = self.request(kind, "GET", path)
        if status == 200 and not etag:
            self.stats.error(kind, f"GET {path}: no ETag")
        return data if status == 200 else None, etag

    def create(self):
        self.created += 1
        slug = f"load-{self.number}-{self.created}"
        body = meeting_body(slug, self.pool, f"Load test meeting {self.number}.{self.created}")
        status, data, _ = self.request("write: create meeting", "POST", f"{API}/meetings/", body, expect=(201,))
        self.meeting = slug if status == 201 else None
        sent = {("status", "proposed"), ("participants", "dmitry-bakanov,jared-isaacman")}
        claimed = {(c["field"], c["value"]) for c in data.get("claims", [])} if status == 201 else set()
        if status == 201 and (len(data.get("participants", [])) != 2 or not sent <= claimed):
            self.stats.error("write: create meeting", f"{slug}: participants or claims missing from {data}")
        return 1

    def edit_own(self):
        if not self.meeting:
            return 0
        path = f"{API}/meetings/{self.meeting}/"
        data, etag = self.fresh("write: GET before edit", path)
        if data is None:
            return 1
        title = f"{data['title']} (edited)"
        change = {"title": title, "support": SUPPORT}
        status, data, _ = self.request("write: edit own meeting", "PATCH", path, change, etag=etag)
        if status == 200 and data["title"] != title:
            self.stats.error("write: edit own meeting", f"{path}: title is {data['title']!r}, wrote {title!r}")
        return 2

    def add_claim(self):
        if not self.meeting:
            return 0
        body = {
            "source": S003,
            "subject_type": "meeting",
            "subject": self.meeting,
            "field": "place",
            "value": "moscow",
            "rank": "normal",
            "locator": "2",
            "note": "",
        }
        status, data, _ = self.request("write: add claim", "POST", f"{API}/claims/", body, expect=(201,))
        self.claim = data["id"] if status == 201 else None
        return 1

    def deprecate_claim(self):
        if not self.claim:
            return 0
        path = f"{API}/claims/{self.claim}/"
        _data, etag = self.fresh("write: GET before edit", path)
        change = {"rank": "deprecated", "note": "Judged wrong in the load test."}
        self.request("write: deprecate claim", "PATCH", path, change, etag=etag)
        return 2

    def edit_shared(self):
        """Edit a meeting every client edits: read it, think a moment, save with its ETag; 412 when beaten."""
        slug = self.rng.choice(SHARED)
        path = f"{API}/meetings/{slug}/"
        _data, etag = self.fresh("write: GET before edit", path)
        if not etag:
            return 1
        time.sleep(self.rng.uniform(0, 0.02))
        title = f"Shared meeting edited by client {self.number}, round {self.created}"
        change = {"title": title, "support": SUPPORT}
        status, data, _ = self.request("write: edit shared (race)", "PATCH", path, change, expect=(200, 412), etag=etag)
        if status == 200:
            with self.stats.lock:
                self.stats.shared_writes.append((slug, etag, title))
        return 2

    def delete(self):
        if not self.meeting:
            return 0
        path = f"{API}/meetings/{self.meeting}/"
        _data, etag = self.fresh("write: GET before edit", path)
        status, _, _ = self.request("write: delete meeting", "DELETE", path, expect=(204,), etag=etag)
        if status == 204:
            self.request("write: GET deleted (404)", "GET", path, expect=(404,))
        self.meeting = self.claim = None
        return 3


def lost_updates(stats, base):
    """Two successful saves from the same ETag, or a shared meeting whose title is no successful save's."""
    problems = [
        f"{slug}: two saves succeeded from ETag {etag}"
        for (slug, etag), n in Counter((s, e) for s, e, _ in stats.shared_writes).items()
        if n > 1
    ]
    checker = Client(-1, base, "", {}, stats, 0)
    for slug in SHARED:
        _status, data, _ = checker.request("final GET of shared", "GET", f"{API}/meetings/{slug}/")
        written = {t for s, _e, t in stats.shared_writes if s == slug}
        if data and written and data["title"] not in written:
            problems.append(f"{slug}: title {data['title']!r} is none of the {len(written)} saved")
    return problems


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def print_table(stats, seconds):
    total = sum(sum(c.values()) for c in stats.statuses.values())
    writes = sum(sum(c.values()) for k, c in stats.statuses.items() if k.startswith("write"))
    print(f"\n{total} requests in {seconds:.0f} s ({total / seconds:.1f}/s), {writes / max(total, 1):.0%} curator work")
    print(f"{'kind':28} {'total':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}  statuses")
    for kind in sorted(stats.statuses, key=lambda k: (k.startswith("write"), k)):
        counts = stats.statuses[kind]
        latencies = stats.latencies[kind]
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(counts.items(), key=str))
        print(
            f"{kind:28} {sum(counts.values()):7} {percentile(latencies, 0.5):8.1f} {percentile(latencies, 0.99):8.1f}"
            f" {stats.errors[kind]:6}  {shown}"
        )


def serve(env, log):
    """gunicorn on a free loopback port in its own process group, as the benchmark serves the app."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [
        ROOT / ".venv/bin/gunicorn",
        "-c",
        ROOT / "bench/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "spacediplo.wsgi",
    ]
    process = subprocess.Popen(  # noqa: S603 - the project's own server
        [str(c) for c in command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                print(f"load: gunicorn on 127.0.0.1:{port} (pid {process.pid})")
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"load: gunicorn did not answer /healthz; its log is {log.name}")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main():
    url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spacediplo_load")
    seconds, clients, seed = setting("SECONDS", 60), setting("CLIENTS", 8), setting("SEED", 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that gunicorn is stopped below
    work = Path(tempfile.mkdtemp(prefix="spacediplo-load-"))
    env = app_env(url, work / "static")
    token = prepare(env, url)
    pool = data_pools(url)
    stats = Stats()
    with open(work / "gunicorn.log", "w") as log:
        process, base = serve(env, log)
        try:
            setup = Client(0, base, token, pool, stats, seed)
            for slug in SHARED:
                setup.request(
                    "setup: shared meeting",
                    "POST",
                    f"{API}/meetings/",
                    meeting_body(slug, pool, f"Shared meeting {slug}"),
                    expect=(201,),
                )
            print(f"load: {clients} clients for {seconds} s, about 80% reads and 20% curator work")
            stop_at = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=Client(n, base, token, pool, stats, seed).run,
                    args=(stop_at, setting("WRITE_SHARE", 0.2)),
                    daemon=True,  # an interrupted run ends at once; gunicorn is stopped below either way
                )
                for n in range(1, clients + 1)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            lost = lost_updates(stats, base)
        finally:
            stop(process)
    for problem in lost:
        stats.error("lost update", problem)
    print_table(stats, seconds)
    raced = sum(c[412] for k, c in stats.statuses.items() if "race" in k)
    print(
        f"412 on shared meetings (a race lost, nothing written): {raced}; "
        f"saves of shared meetings: {len(stats.shared_writes)}; lost updates: {len(lost)}"
    )
    errors = sum(stats.errors.values())
    for example in stats.examples:
        print(f"  error: {example}")
    print(f"errors: {errors} (server log: {work / 'gunicorn.log'})\n\nload: check_data")
    checked = manage(env, "check_data", "--format", "text")
    if errors or checked.returncode:
        raise SystemExit(f"load: FAILED: {errors} errors, check_data exit status {checked.returncode}")
    print("load: passed: no errors, check_data found nothing")


if __name__ == "__main__":
    main()
