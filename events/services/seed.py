"""Loading the seed dataset: all or nothing, idempotent through natural keys, and never over curators' work.

A row the history shows changed since a seed load wrote it is left as it is, and the report says what the
seed would have changed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery

from events.models import Claim, CrewMember, Launch, Meeting, Participant, Source
from events.progress import Progress, no_progress
from events.selectors import preferred_claim_mismatches
from events.services.bulk import statement_timeout_lifted
from events.services.derived import derived_refresh_all, versions_bump
from events.services.locks import dataset_lock
from events.services.revision import dataset_touch
from events.services.seed_rows import LoadedRows, SeedDeserializer

SEED_LOADER = "load_seed_data"  # the account and change reason the history gives seed loads


class SeedError(Exception):
    """A fixture record could not be loaded; the message names it and the problem."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)  # curators' changes the seed left as they are, one line each
    loaded: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))
    curated: dict[type, set[int]] = field(default_factory=dict)  # per model, rows changed since the seed wrote them
    user: object = None

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged) | set(self.removed))
        lines = []
        for label in labels:
            counts = [f"{self.created[label]} created", f"{self.updated[label]} updated"]
            counts += [f"{self.unchanged[label]} unchanged"] + (
                [f"{self.removed[label]} removed"] if self.removed[label] else []
            )
            lines.append(f"{label}: {', '.join(counts)}")
        if self.kept:
            lines.append(f"Left as curators changed them ({len(self.kept)}):")
            lines += [f"  {line}" for line in self.kept]
        return lines

    def curated_ids(self, model) -> set[int]:
        if model not in self.curated:
            self.curated[model] = changed_since_seed(model)
        return self.curated[model]

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.unchanged.values())


def _state(instance, m2m: dict) -> tuple:
    """Comparable snapshot of a record: its editable columns and its many-to-many links.

    Non-editable columns are derived from other rows (a meeting's lineup) and are not in fixtures.
    """
    columns = tuple(
        (f.attname, getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.editable
    )
    links = tuple(sorted((name, tuple(sorted(pks))) for name, pks in m2m.items()))
    return columns, links


def _describe(instance) -> str:
    try:
        key = "/".join(str(part) for part in instance.natural_key())
    except Exception:  # a record too broken to name by natural key is named by its type
        key = "?"
    return f"{instance._meta.label_lower} {key}"


def changed_since_seed(model) -> set[int]:
    """Ids of `model`'s rows whose latest change was not made by a seed load: curators' work, which the seed
    leaves as it is. A row imported whole, or with no history at all, counts as theirs too: nothing says otherwise."""
    history = model.history.model
    latest = history.objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    rows = model._base_manager.annotate(reason=Subquery(latest.values("history_change_reason")[:1]))
    return set(rows.filter(Q(reason__isnull=True) | ~Q(reason=SEED_LOADER)).values_list("pk", flat=True))


def _differences(existing, instance, m2m: dict) -> str:
    before = dict(_state(existing, {name: getattr(existing, name).values_list("pk", flat=True) for name in m2m})[0])
    after = dict(_state(instance, m2m)[0])
    names = [name for name in after if before.get(name) != after[name]] or list(m2m)
    return ", ".join(f"{name}: {before.get(name)!r} kept, seed has {after.get(name)!r}" for name in names)


def _load_one(deserialized, report: SeedReport, rows: LoadedRows, owners: set) -> None:
    instance = deserialized.object
    label = instance._meta.label_lower
    model = type(instance)
    existing = rows.row(model, instance.pk) if instance.pk else None  # the row its natural key found
    if existing is not None:
        instance._state.adding = False  # found by natural key: validate as an update, not a duplicate
    # Its foreign keys' rows were found or written by this load: checking they exist would cost a query each.
    held = rows.share_related(instance)
    try:
        # Constraints are left to the database as the row is written (checked here, each costs a query).
        instance.full_clean(exclude=held, validate_constraints=False)
    except ValidationError as exc:
        raise SeedError(f"{_describe(instance)}: {'; '.join(_messages(exc))}") from exc
    m2m = {name: [getattr(obj, "pk", obj) for obj in values] for name, values in (deserialized.m2m_data or {}).items()}
    if existing is not None:
        before = _state(existing, {name: getattr(existing, name).values_list("pk", flat=True) for name in m2m})
        if before == _state(instance, m2m):
            report.unchanged[label] += 1
            report.loaded[model].add(instance.pk)
            return
        if existing.pk in report.curated_ids(model):
            report.kept.append(f"{_describe(existing)}: {_differences(existing, instance, m2m)}")
            report.unchanged[label] += 1
            report.loaded[model].add(instance.pk)
            return
        report.updated[label] += 1
    else:
        report.created[label] += 1
    # A plain save (not loaddata's raw one), so the history records the load like any other change.
    _as_seed(instance, report)
    try:
        instance.save()
    except IntegrityError as exc:  # a constraint refused the row: the whole load is rolled back
        raise SeedError(f"{_describe(instance)}: {exc}") from exc
    for name, pks in m2m.items():
        getattr(instance, name).set(pks)
    owners.add(_owner(instance))
    rows.written(instance, replaced=existing is not None)
    report.loaded[model].add(instance.pk)


def _remove_stale(report: SeedReport) -> None:
    """Drop what an earlier version of the seed put in and this one no longer has.

    Claims citing a seed source, and the participants and crew of seed meetings and launches, belong
    to the seed: whatever of them the fixtures do not list is removed, so the database matches them.
    """
    stale = {
        Claim: Claim.objects.filter(source__in=report.loaded[Source]),
        Participant: Participant.objects.filter(meeting__in=report.loaded[Meeting]),
        CrewMember: CrewMember.objects.filter(launch__in=report.loaded[Launch]),
    }
    for model, rows in stale.items():
        for row in rows.exclude(pk__in=report.loaded[model]).order_by("pk"):
            if row.pk in report.curated_ids(model):
                report.kept.append(f"{_describe(row)}: kept, though the seed no longer has it")
                continue
            _as_seed(row, report)
            _owner_changed(row)
            row.delete()
            report.removed[model._meta.label_lower] += 1


def _yield_to_curated_records(report: SeedReport) -> None:
    """A seed claim preferred on a record curators have since changed does not overrule them: it stays a
    normal claim, and the report says so."""
    for claim, current in preferred_claim_mismatches():
        if claim.subject.pk in report.curated_ids(type(claim.subject)) and claim.pk not in report.curated_ids(Claim):
            report.kept.append(
                f"{_describe(claim.subject)}: {claim.field} {current!r} kept; the seed's preferred "
                f"{claim.value!r} ({claim.source.slug}) stays a normal claim"
            )
            claim.rank = Claim.Rank.NORMAL
            _as_seed(claim, report)
            claim.save()
            _owner_changed(claim)


def _owner(row):
    """The record a claim or a member belongs to; None for any other row."""
    if isinstance(row, Claim):
        return row.subject
    if isinstance(row, Participant | CrewMember):
        return row.meeting if isinstance(row, Participant) else row.launch
    return None


def _owner_changed(row) -> None:
    """A claim or a member written: the record it belongs to changed too (its own row's version rose as written)."""
    versions_bump(records=[_owner(row)])


def _as_seed(instance, report: SeedReport) -> None:
    """The history names the seed load as the change's author and reason."""
    instance._change_reason = SEED_LOADER
    instance._history_user = report.user


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
    return exc.messages


def seed_fixture_paths(*, fixture_dir: Path | None = None) -> list[Path]:
    fixture_dir = Path(fixture_dir or settings.FIXTURE_DIRS[0])
    return [fixture_dir / f"{name}.json" for name in settings.SEED_FIXTURES]


def seed_loader_user():
    """The account seed loads are made as: it cannot log in."""
    user, created = get_user_model().objects.get_or_create(username=SEED_LOADER, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _record_count(text: str) -> int | None:
    """How many records a fixture holds, for a progress bar's total; None if it is no JSON list (the
    deserializer then names the problem)."""
    try:
        records = json.loads(text)
    except ValueError:
        return None
    return len(records) if isinstance(records, list) else None


def seed_load(
    *, fixture_dir: Path | None = None, dry_run: bool = False, progress: Progress = no_progress
) -> SeedReport:
    """Load every seed fixture in one transaction; raise SeedError and change nothing on a bad record.

    `progress` (events.progress) is shown the records of each fixture as they are loaded."""
    report, rows, owners = SeedReport(), LoadedRows(), set()
    with transaction.atomic():
        dataset_lock()  # first: the load deletes rows the seed no longer has
        statement_timeout_lifted()
        report.user = seed_loader_user()
        for path in seed_fixture_paths(fixture_dir=fixture_dir):
            if not path.exists():
                raise SeedError(f"{path}: fixture file is missing.")
            try:
                text = path.read_text(encoding="utf-8")
                records = SeedDeserializer(text, rows=rows, handle_forward_references=False)
                for deserialized in progress(records, total=_record_count(text), desc=path.name, unit="records"):
                    _load_one(deserialized, report, rows, owners)
            except SeedError as exc:
                raise SeedError(f"{path.name}: {exc}") from exc
            except (DeserializationError, DatabaseError) as exc:
                raise SeedError(f"{path.name}: {exc}") from exc
        # The records whose claims or members the load wrote changed with them: one version raise each.
        versions_bump(records=owners)
        _remove_stale(report)
        _yield_to_curated_records(report)
        # Rows went in one by one, as the fixtures list them: derived values are worked out once, at the end.
        derived_refresh_all()
        if sum(report.created.values()) + sum(report.updated.values()) + sum(report.removed.values()) or report.kept:
            dataset_touch()
        mismatches = preferred_claim_mismatches()
        if mismatches:
            claim, current = mismatches[0]
            raise SeedError(
                f"{len(mismatches)} preferred claim(s) differ from their record, e.g. {claim.subject_type} "
                f"{claim.subject.slug} {claim.field}: the record has {current!r}, "
                f"{claim.source.slug} says {claim.value!r}."
            )
        if dry_run:
            transaction.set_rollback(True)
    return report
