"""The change feed, read from the history every record keeps (django-simple-history): one entry per created,
updated or deleted record, oldest first, resumed after a cursor.

Every write takes the dataset's lock before it writes anything (services.locks.writing), so writes commit in the
order their history is stamped: a client that resumes after the last change it saw never misses one that commits
later, nor sees one twice. Changes are ordered by (when, type, history id), which ties never break.
"""

import base64
import binascii
import datetime as dt
import heapq
from dataclasses import dataclass

from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast

from events.models import Agency, Claim, Launch, Meeting, Person, Place, Source, Tenure, Topic

# Each resource's type, as its URLs name it (`<type>-detail`); claims and tenures are addressed by id.
FEED_TYPES = {
    "agency": Agency,
    "claim": Claim,
    "launch": Launch,
    "meeting": Meeting,
    "person": Person,
    "place": Place,
    "source": Source,
    "tenure": Tenure,
    "topic": Topic,
}
BY_ID = {"claim", "tenure"}
KINDS = {"+": "created", "~": "updated", "-": "deleted"}


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the feed: just after the change made at `when`, of `type`, with history id `history_id`."""

    when: dt.datetime
    type: str
    history_id: int

    def token(self) -> str:
        text = f"{self.when.isoformat()}|{self.type}|{self.history_id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> "Cursor":
        """The cursor a `next` link carries; ValueError when `token` is not one."""
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            when, kind, history_id = text.split("|")
            moment = dt.datetime.fromisoformat(when)
            cursor = cls(moment.astimezone(dt.UTC), kind, int(history_id))
        except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as exc:
            raise ValueError("Not a cursor this feed gave.") from exc
        if cursor.type not in FEED_TYPES or moment.tzinfo is None or not 0 <= cursor.history_id < 2**63:
            raise ValueError("Not a cursor this feed gave.")
        return cursor


def changes_after(*, cursor: Cursor | None, types=(), since: dt.datetime | None = None, limit: int) -> list[dict]:
    """Up to `limit` changes after `cursor` (from the start without one), oldest first, of `types` (all without),
    made at or after `since`. Each: type, key (slug, or id), previous_key (an update that renamed the slug), kind,
    when, and the position to resume after it (`cursor`)."""
    streams = [_changes_of(name, cursor=cursor, since=since, limit=limit) for name in sorted(types or FEED_TYPES)]
    merged = heapq.merge(*streams, key=lambda change: change["cursor"])
    return [change for change, _ in zip(merged, range(limit), strict=False)]


def changes_latest(*, types=(), limit: int) -> list[dict]:
    """The `limit` latest changes of `types` (all without), newest first."""
    streams = [
        _changes_of(name, cursor=None, since=None, limit=limit, newest_first=True) for name in types or FEED_TYPES
    ]
    merged = heapq.merge(*streams, key=lambda change: change["cursor"], reverse=True)
    return [change for change, _ in zip(merged, range(limit), strict=False)]


def _changes_of(
    name: str, *, cursor: Cursor | None, since: dt.datetime | None, limit: int, newest_first: bool = False
) -> list[dict]:
    history = FEED_TYPES[name].history.model.objects.all()
    if cursor is not None:
        later = Q(history_date__gt=cursor.when)
        if name > cursor.type:
            later |= Q(history_date=cursor.when)
        elif name == cursor.type:
            later |= Q(history_date=cursor.when, history_id__gt=cursor.history_id)
        history = history.filter(later)
    if since is not None:
        history = history.filter(history_date__gte=since)
    if name in BY_ID:
        key, previous_key = Cast(F("id"), CharField()), Value(None, output_field=CharField())
    else:
        # An update's slug before it: a client keyed by slug can drop the old one.
        earlier = history.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        key, previous_key = F("slug"), Subquery(earlier.order_by("-history_id").values("slug")[:1])
    rows = (
        history.order_by(*(("-history_date", "-history_id") if newest_first else ("history_date", "history_id")))
        .annotate(feed_key=key, feed_previous_key=previous_key)
        .values("history_id", "history_date", "history_type", "feed_key", "feed_previous_key")[:limit]
    )
    return [
        {
            "type": name,
            "key": row["feed_key"],
            "previous_key": row["feed_previous_key"]
            if row["history_type"] == "~" and row["feed_previous_key"] != row["feed_key"]
            else None,
            "kind": KINDS[row["history_type"]],
            "when": row["history_date"],
            "cursor": Cursor(row["history_date"], name, row["history_id"]),
        }
        for row in rows
    ]
