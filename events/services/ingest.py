"""Source ingestion: an article's text becomes a source and candidate claims, which curators accept (as claims,
through the services every write goes through), edit then accept, or reject."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from events.claimfields import SUBJECT_TYPES, Ref, Refs, claim_spec, record_value
from events.extraction import Article, Gazetteer, article_read, extract, proposed_slug
from events.models import Candidate, Claim, Source
from events.review import candidate_record, candidate_relation, records_named
from events.services.locks import writing
from events.services.records import RecordInvalid, record_save, record_store

# The field that names a record of each type (a proposed record is made with it).
NAME_FIELDS = {"meeting": "title", "tenure": "title"}


def _messages(exc: RecordInvalid) -> list[str]:
    def flat(errors):
        if isinstance(errors, dict):
            for name, inner in errors.items():
                for message in flat(inner):
                    yield message if name == "non_field_errors" else f"{name}: {message}"
        elif isinstance(errors, list):
            for inner in errors:
                yield from flat(inner)
        else:
            yield str(errors)

    return list(flat(exc.errors))


def _headline(article: Article) -> str:
    """The first line that is not just the article's date: its headline, as most texts begin."""
    dated = article.published_wording.strip()
    return next((p for p in article.paragraphs if not dated or p.strip() != dated), article.paragraphs[0])


def _free_slug(article: Article) -> str:
    """The article's id, as the seed's are: a number in order of arrival and the start of its text's hash."""
    number = Source.objects.articles().count()
    while Source.objects.filter(slug=(slug := f"{number:03d}_{article.sha256[:16]}")).exists():
        number += 1
    return slug


@writing
def source_ingest(
    *,
    text: str,
    published: dt.date | None = None,
    title: str = "",
    outlet: str = "",
    url: str = "",
    kind: str = Source.Kind.NEWS,
    slug: str = "",
    **details,
) -> tuple[Source, list[Candidate]]:
    """Make a source of an article's text (its hash, its paragraphs, its date: as the text states it, else
    `published`) and propose the candidate claims found in it. `details` are other fields of the source (its
    reliability, a summary). The text itself is not kept, as the seed's are not:
    each candidate keeps the sentence it rests on."""
    article = article_read(text)
    errors = {}
    if not article.paragraphs:
        errors["text"] = ["The text is empty."]
    elif (known := Source.objects.filter(sha256=article.sha256).first()) is not None:
        errors["text"] = [f"This text is the source {known.slug} already."]
    day = published or article.published
    if day is None:
        errors["published"] = ["The text states no date of its own: give the day it was published."]
    if errors:
        raise ValidationError(errors)
    source = Source(
        slug=slug or _free_slug(article),
        title=(title or _headline(article))[:300],
        outlet=outlet,
        url=url,
        kind=kind,
        sha256=article.sha256,
        paragraphs=len(article.paragraphs),
        published_edtf=day.isoformat(),
        published_text="as given" if published else (article.published_wording or "as the text states it")[:120],
        **details,
    )
    source.full_clean()
    record_store(instance=source)
    return source, source_candidates_propose(source=source, article=article)


@writing
def source_candidates_propose(*, source: Source, article: Article) -> list[Candidate]:
    """Store the candidate claims found in `article` (the text of `source`), each saying how it stands against the
    claims held. A value the source claims already is not proposed again."""
    # The last day the source may have been written: what it reports as past happened by then.
    day = source.published_latest or source.published_earliest
    found = extract(article, published=day, gazetteer=Gazetteer.from_database())
    known_names = {
        subject_type: records_named(subject_type, [f.subject.slug for f in found if f.subject.type == subject_type])
        for subject_type in {f.subject.type for f in found if f.subject.slug}
    }
    claimed = _claimed_by(source)
    rows = []
    for item in found:
        subject_type, known = item.subject.type, bool(item.subject.slug)
        subject_slug = item.subject.slug or proposed_slug(item.subject)
        if known and (subject_type, subject_slug, item.field, item.value) in claimed:
            continue
        name = known_names[subject_type].get(subject_slug, item.subject.name) if known else item.subject.name
        rows.append(
            Candidate(
                source=source,
                subject_type=subject_type,
                subject_slug=subject_slug,
                subject_name=(name or subject_slug)[:300],
                is_new=not known,
                field=item.field,
                value=item.value[:500],
                wording=item.wording[:500],
                locator=item.locator,
                sentence=item.sentence,
                confidence=min(max(item.confidence, 0.0), 1.0),
                relation=candidate_relation(
                    subject_type=subject_type, subject_slug=subject_slug, field=item.field, value=item.value
                ),
            )
        )
    return bulk_create_with_history(rows, Candidate, default_change_reason="found in the article")


def _claimed_by(source: Source) -> set[tuple[str, str, str, str]]:
    """(subject type, subject slug, field, value) of every claim the source makes, read at once."""
    claims = Claim.objects.filter(source=source).select_related(*SUBJECT_TYPES)
    return {(c.subject_type, c.subject.slug, c.field, c.value) for c in claims}


def _decided(candidate: Candidate, *, status: str, user, reason: str) -> None:
    candidate.status = status
    candidate.reviewed_by = user if user is not None and user.is_authenticated else None
    candidate.reviewed_at = timezone.now()
    candidate._change_reason = reason
    candidate._history_user = candidate.reviewed_by
    candidate.save()


def _pending(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().select_related("source").get(pk=candidate.pk)
    if candidate.status != Candidate.Status.PENDING:
        raise ValidationError(f"This candidate is {candidate.get_status_display()} already.")
    return candidate


@writing
def candidate_accept(*, candidate: Candidate, user, value: str | None = None, rank: str | None = None) -> Claim:
    """Make the candidate a claim of its source (with its locator), `value` replacing the one found if given. The
    claim is ranked preferred, so the record takes its value, where the record holds none yet; else normal (a
    curator's choice of `rank` wins). Accepting a candidate about a proposed record first creates the record."""
    candidate = _pending(candidate)
    if value is not None and value.strip() != candidate.value:
        candidate.note = f"{candidate.note}\nEdited: the article was read as {candidate.value!r}.".strip()
        candidate.value = value.strip()
    record = candidate_record(candidate)
    if record is None:
        if not candidate.is_new:
            raise ValidationError(f"The {candidate.subject_type} {candidate.subject_slug!r} is no longer there.")
        record = _proposed_record_create(candidate=candidate, user=user, seen=set())
        candidate.refresh_from_db(fields=["status", "claim"])
        if candidate.status == Candidate.Status.ACCEPTED:  # its value was one the record was made with
            return candidate.claim
    _linked_proposals_create(candidate=candidate, user=user, seen=set())
    spec = claim_spec(candidate.subject_type, candidate.field)
    holds_none = not spec.many and not spec.is_set(record_value(record, candidate.field))
    claim = Claim(
        source=candidate.source,
        subject_type=candidate.subject_type,
        **{candidate.subject_type: record},
        field=candidate.field,
        value=candidate.value,
        locator=candidate.locator,
        rank=rank or (Claim.Rank.PREFERRED if holds_none else Claim.Rank.NORMAL),
    )
    try:
        record_save(instance=claim)
    except RecordInvalid as exc:
        raise ValidationError(_messages(exc)) from exc
    candidate.claim = claim
    _decided(candidate, status=Candidate.Status.ACCEPTED, user=user, reason="accepted")
    return claim


def _linked_proposals_create(*, candidate: Candidate, user, seen: set) -> None:
    """Create first the records a candidate's value links to that the same article proposes and the database does
    not hold yet (a new meeting's place, its new participants), each as accepting it would."""
    spec = claim_spec(candidate.subject_type, candidate.field)
    if not isinstance(spec, Ref):
        return
    model = apps.get_model("events", spec.model)
    slugs = {s.strip() for s in candidate.value.split(",")} if isinstance(spec, Refs) else {candidate.value.strip()}
    missing = slugs - set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for slug in sorted(missing):
        key = (model._meta.model_name, slug)
        lead = (
            Candidate.objects.pending()
            .of_record(subject_type=key[0], subject_slug=slug)
            .filter(source=candidate.source, is_new=True)
            .order_by("pk")
            .first()
        )
        if lead is not None and key not in seen:
            _proposed_record_create(candidate=lead, user=user, seen=seen)


def _proposed_record_create(*, candidate: Candidate, user, seen: set):
    """Create the record the article names but the database does not hold, with the values its pending candidates
    give for the record's own fields (this one's as edited), each becoming a preferred claim; those candidates are
    accepted with it. What those values link to that the article also proposes is created first (`seen` holds the
    records under way, so a cycle of links ends)."""
    seen.add((candidate.subject_type, candidate.subject_slug))
    group = list(
        Candidate.objects.pending()
        .of_record(subject_type=candidate.subject_type, subject_slug=candidate.subject_slug)
        .filter(source=candidate.source, is_new=True)
        .exclude(pk=candidate.pk)
        .select_for_update()
    )
    group.append(candidate)
    model = apps.get_model("events", candidate.subject_type)
    name_field = NAME_FIELDS.get(candidate.subject_type, "name")
    record = model(slug=candidate.subject_slug)
    chosen = {}
    for member in group:  # the candidate accepted wins over others of its field
        spec = claim_spec(member.subject_type, member.field)
        if spec.after_save or spec.many or (member.field in chosen and member is not candidate):
            continue
        chosen[member.field] = member
    claims = []
    for field, member in chosen.items():
        _linked_proposals_create(candidate=member, user=user, seen=seen)
        try:
            claim_spec(member.subject_type, field).apply(record, member.value)
        except model.DoesNotExist as exc:
            raise ValidationError(f"{field}: {member.value!r} is not in the database yet; accept it first.") from exc
        except Exception as exc:  # a linked record named by a slug that is not there, or a value it cannot hold
            raise ValidationError(f"{field}: {member.value!r} cannot be used ({exc}).") from exc
        claims.append({"source": member.source, "field": field, "value": member.value, "locator": member.locator})
    if name_field not in chosen:
        setattr(record, name_field, candidate.subject_name)
        claims.append(
            {
                "source": candidate.source,
                "field": name_field,
                "value": candidate.subject_name,
                "locator": candidate.locator,
            }
        )
    try:
        record_save(instance=record, claims=[{**c, "rank": Claim.Rank.PREFERRED} for c in claims])
    except RecordInvalid as exc:
        raise ValidationError(
            [f"The new {candidate.subject_type} {candidate.subject_name!r} cannot be made yet: ", *_messages(exc)]
        ) from exc
    for member in chosen.values():
        member.claim = Claim.objects.about(record).get(source=member.source, field=member.field, value=member.value)
        _decided(member, status=Candidate.Status.ACCEPTED, user=user, reason="accepted: the new record is made with it")
    return record


@writing
def candidate_revise(*, candidate: Candidate, user, value: str, note: str = "") -> Candidate:
    """Correct a pending candidate's value (and the reviewer's note) before deciding on it."""
    candidate = _pending(candidate)
    value = value.strip()
    if not value:
        raise ValidationError("The value is empty.")
    if value == candidate.value and note == candidate.note:
        return candidate
    candidate.value, candidate.note = value, note
    candidate._change_reason = "edited"
    candidate._history_user = user if user is not None and user.is_authenticated else None
    candidate.save()
    return candidate


@writing
def candidate_reject(*, candidate: Candidate, user, reason: str = "") -> Candidate:
    """The article does not say this, or not of this record: the candidate stays, rejected, saying why if given."""
    candidate = _pending(candidate)
    candidate.note = f"{candidate.note}\n{reason.strip()}".strip()
    _decided(candidate, status=Candidate.Status.REJECTED, user=user, reason="rejected")
    return candidate


def candidates_review(*, candidates, user, accept: bool) -> tuple[list[Candidate], dict[Candidate, list[str]]]:
    """Accept (or reject) each candidate in turn, each in its own transaction: one that cannot be accepted leaves
    the others be. Returns those done and, for the others, why not."""
    done, refused = [], {}
    for candidate in candidates:
        try:
            if accept:
                candidate_accept(candidate=candidate, user=user)
            else:
                candidate_reject(candidate=candidate, user=user)
        except ValidationError as exc:
            refused[candidate] = exc.messages
        else:
            done.append(candidate)
    return done, refused
