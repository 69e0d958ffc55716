// A client written as a front-end developer writes one: openapi-fetch, typed by the paths openapi-typescript
// generates from the API's schema (scripts/check-client.sh). The check type-checks it strictly, so a schema that
// stops promising what these lines rely on (a field always present, a value never null, an enum's values, a
// problem's typed `errors`, a parameter's name) fails it. Run against a server, it also throws on any answer it
// did not expect.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type Schemas = components["schemas"];
type Problem = Schemas["Problem"];

// The API takes a repeatable filter as the parameter repeated (`agency=nasa&agency=roscosmos`) and `ordering` as
// one comma-separated parameter (`ordering=-date,title`: style form, not exploded, as the schema says).
// openapi-fetch gives every array one style, so the client says which parameters join their values.
const JOINED = new Set(["ordering"]);

function querySerializer(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (JOINED.has(name)) search.append(name, values.join(","));
    else for (const item of values) search.append(name, String(item));
  }
  return search.toString();
}

/** Every message under a field or parameter, however deeply a nested record or list holds them. */
export function messagesOf(entry: Schemas["ProblemErrorsEntry"] | undefined): string[] {
  if (entry === undefined) return [];
  if (!Array.isArray(entry)) return Object.values(entry).flatMap(messagesOf);
  const messages: string[] = [];
  for (const item of entry) {
    if (typeof item === "string") messages.push(item);
    else messages.push(...Object.values(item).flatMap(messagesOf));
  }
  return messages;
}

/** A fuzzy date as a reader would see it: its wording, else its EDTF text; its bounds (null: open). */
export function when(date: Schemas["FuzzyDate"] | null): string {
  if (date === null) return "date unknown";
  const wording: string = date.text === "" ? date.edtf : date.text;
  return `${wording} (${date.earliest ?? "…"} to ${date.latest ?? "…"})`;
}

function line(meeting: Schemas["Meeting"]): string {
  const kind: Schemas["MeetingKindEnum"] = meeting.kind;
  const status: Schemas["MeetingStatusEnum"] = meeting.status;
  const who = meeting.participants.map((p) => `${p.person.name}${p.agency ? ` (${p.agency.name})` : ""}`);
  const where = meeting.place === null ? "place unknown" : meeting.place.name;
  const topics = meeting.topics.map((t) => t.slug).join(", ");
  const previous = meeting.previous_meeting === null ? "" : `; ${meeting.previous_meeting.gap.min_days} days after`;
  return `${meeting.title} [${kind}, ${status}, ${meeting.format}] ${when(meeting.date)} at ${where}: ${who.join(
    ", ",
  )} ${topics}${previous}`;
}

function fail(what: string, problem: Problem): never {
  throw new Error(`${what}: ${problem.status} ${problem.title}: ${problem.detail}`);
}

export async function check(baseUrl: string, token: string): Promise<string[]> {
  // Answers as JSON and problems as problem+json: a list also downloads as NDJSON or CSV (by the Accept header),
  // which this client does not ask for.
  const api = createClient<paths, "application/json" | "application/problem+json">({ baseUrl, querySerializer });
  const out: string[] = [];

  // A list with filters: names and enum values are checked by the compiler.
  const list = await api.GET("/api/v1/meetings/", {
    params: {
      query: {
        date_after: "2018-01-01",
        agency: ["nasa", "roscosmos"],
        status: ["held", "planned"],
        ordering: ["-date", "title"],
        page_size: 20,
      },
    },
  });
  if (list.error) fail("meetings list", list.error);
  const page: Schemas["PaginatedMeetingList"] = list.data;
  const next: string | null = page.next; // null on the last page, never left out
  out.push(`${page.count} meetings, next page: ${next ?? "none"}`, ...page.results.map(line));

  // A detail, and its ETag for the write below.
  const slug = page.results[0]?.slug ?? "nasa-roscosmos-2018-10";
  const detail = await api.GET("/api/v1/meetings/{slug}/", { params: { path: { slug } } });
  if (detail.error) fail("meeting", detail.error);
  const meeting: Schemas["MeetingDetail"] = detail.data;
  const etag = detail.response.headers.get("ETag") ?? "*";
  for (const source of meeting.sources) out.push(`source ${source.slug}: ${source.reliability}`);
  for (const claim of meeting.claims) {
    const rank: Schemas["RankEnum"] = claim.rank;
    out.push(`claim ${claim.id} ${claim.field}=${claim.value} (${rank}, ${claim.source.name}) ${claim.speaks_for ?? ""}`);
  }

  // A 400: the problem names each wrong parameter under `errors`.
  const bad = await api.GET("/api/v1/meetings/", { params: { query: { date_after: "soon" } } });
  if (!bad.error || bad.response.status !== 400) throw new Error("date_after=soon: expected a 400");
  const invalid: Problem = bad.error;
  const messages = messagesOf(invalid.errors?.["date_after"]);
  if (messages.length === 0) throw new Error("date_after=soon: no message for date_after");
  out.push(`400 ${invalid.title} at ${invalid.instance}: date_after: ${messages.join(" ")}`);

  // A 404: a problem without `errors`.
  const missing = await api.GET("/api/v1/meetings/{slug}/", { params: { path: { slug: "no-such-meeting" } } });
  if (!missing.error || missing.response.status !== 404) throw new Error("no-such-meeting: expected a 404");
  const notFound: Problem = missing.error;
  if (notFound.errors !== undefined) throw new Error("a 404 carries no errors");
  out.push(`404 ${notFound.title}: ${notFound.detail}`);

  // A write with If-Match: nothing is written if the meeting changed since its ETag was read (412).
  const written = await api.PATCH("/api/v1/meetings/{slug}/", {
    params: { path: { slug }, header: { "If-Match": etag } },
    headers: { Authorization: `Token ${token}` },
    body: { summary: meeting.summary },
  });
  if (written.error) {
    if (written.response.status !== 412) fail("meeting write", written.error);
    out.push(`412 ${written.error.title}; current ETag ${written.response.headers.get("ETag")}`);
  } else {
    const saved: Schemas["MeetingDetail"] = written.data;
    out.push(`written: ${saved.slug}, ETag ${written.response.headers.get("ETag")}`);
  }
  return out;
}
