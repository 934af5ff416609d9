import type { BoardRow } from "../types";

// What a coordinator asked of the board, kept in the page's address so a reload or a shared link shows the same
// list. The same rules as the server's BoardQuery (src/Journey/Projections/BoardQuery.cs), which the CSV export
// uses: parameter names, filters, orders and page size must stay the same in both.

export type BoardList = "live" | "discharged";
export type SortKey = "delay" | "escalation" | "breaches" | "predicted" | "forecast" | "name" | "discharged";

export interface BoardQuery {
  list: BoardList; search: string; hospital: string; agency: string; category: string; minDelay: number; sort: SortKey; page: number;
}

export const pageSize = 50;
export const recentlyDischargedDays = 30;
const largestMinDelay = 10_000;
const longestSearch = 100;

export const sortTitles: [SortKey, string][] = [
  ["delay", "Days delayed (most first)"], ["escalation", "Escalation level"], ["breaches", "SLA breaches"],
  ["predicted", "Predicted ready date"], ["forecast", "Likely ready"], ["name", "Name"], ["discharged", "Discharged (most recent first)"],
];

export function defaultSort(list: BoardList): SortKey {
  return list === "discharged" ? "discharged" : "delay";
}

function whole(text: string | null): number | undefined {
  return text !== null && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Reads the address; a value the board does not know is ignored, as if it were not there. */
export function parseQuery(search: string, hospitals: Set<string>, agencies: Set<string>, categories: Set<string>): BoardQuery {
  const p = new URLSearchParams(search);
  const list: BoardList = p.get("list") === "discharged" ? "discharged" : "live";
  const known = (value: string | null, set: Set<string>) => (value !== null && set.has(value) ? value : "");
  const delay = whole(p.get("delay"));
  const named = sortTitles.find(([key]) => key === p.get("sort"))?.[0];
  // "Most recently discharged" means nothing on the live list.
  const sort = named && !(named === "discharged" && list === "live") ? named : defaultSort(list);
  const page = whole(p.get("page"));
  return {
    list,
    search: (p.get("q") ?? "").trim().slice(0, longestSearch),
    hospital: known(p.get("hospital"), hospitals),
    agency: known(p.get("agency"), agencies),
    category: known(p.get("category"), categories),
    minDelay: delay !== undefined && delay <= largestMinDelay ? delay : 0,
    sort,
    page: page !== undefined && page > 0 ? page : 1,
  };
}

/** The query as address parameters, leaving out defaults (in the server's order, so the two agree). */
export function toAddress(q: BoardQuery, withPage = true): URLSearchParams {
  const p = new URLSearchParams();
  if (q.list === "discharged") p.set("list", "discharged");
  if (q.search) p.set("q", q.search);
  if (q.hospital) p.set("hospital", q.hospital);
  if (q.agency) p.set("agency", q.agency);
  if (q.category) p.set("category", q.category);
  if (q.minDelay > 0) p.set("delay", String(q.minDelay));
  if (q.sort !== defaultSort(q.list)) p.set("sort", q.sort);
  if (withPage && q.page > 1) p.set("page", String(q.page));
  return p;
}

/** A "yyyy-mm-dd" date `days` before another. */
function daysBefore(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - days)).toISOString().slice(0, 10);
}

const names = new Intl.Collator("en-GB");
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const latestFirst = (a: string | undefined, b: string | undefined) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : ordinal(b, a));

function compare(sort: SortKey, a: BoardRow, b: BoardRow): number {
  let first: number;
  switch (sort) {
    case "name": first = names.compare(a.childName, b.childName); break;
    case "escalation": first = b.maxEscalationLevel - a.maxEscalationLevel || b.daysDelayed - a.daysDelayed; break;
    case "breaches": first = b.slaBreaches - a.slaBreaches || b.daysDelayed - a.daysDelayed; break;
    case "predicted": first = latestFirst(a.predictedReadyDate, b.predictedReadyDate); break;
    case "discharged": first = latestFirst(a.dischargedOn, b.dischargedOn); break;
    case "forecast": first = latestFirst(a.forecast?.likelyBy, b.forecast?.likelyBy) || latestFirst(a.forecast?.likelyFrom, b.forecast?.likelyFrom); break;
    default: first = b.daysDelayed - a.daysDelayed;
  }
  return first || ordinal(a.childId, b.childId);
}

/** As BoardRow.IsDischarged: a row stored before rows carried the date says so by its stage. */
export function isDischarged(row: BoardRow): boolean {
  return row.dischargedOn !== undefined || (row.transitionKind === "hospital-discharge" && row.stage === "discharged");
}

/** Digits (spaces allowed) are looked for in the NHS number, anything else in the name, ignoring case. */
function finds(search: string, row: BoardRow): boolean {
  if (!search) return true;
  if (/^[\d ]+$/.test(search)) return (row.nhsNumber ?? "").includes(search.replaceAll(" ", ""));
  return row.childName.toLocaleLowerCase("en-GB").includes(search.toLocaleLowerCase("en-GB"));
}

/** The rows of the query's list that pass its filters, in its order (every page). */
export function select(q: BoardQuery, rows: Iterable<BoardRow>, today: string): BoardRow[] {
  const since = daysBefore(today, recentlyDischargedDays);
  const passes = (r: BoardRow) =>
    finds(q.search, r)
    && (q.list === "live" ? !isDischarged(r) : r.dischargedOn !== undefined && r.dischargedOn >= since)
    && (!q.hospital || r.hospitalKey === q.hospital)
    && (!q.agency || (r.openBlockersByService[q.agency] ?? 0) > 0)
    && (!q.category || (r.openBlockersByCategory[q.category] ?? 0) > 0)
    && (q.minDelay === 0 || r.daysDelayed > q.minDelay);
  return [...rows].filter(passes).sort((a, b) => compare(q.sort, a, b));
}

/** The page to show of `count` rows (clamped to 1…pages) and how many pages there are (at least one). */
export function pageOf(q: BoardQuery, count: number): { page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  return { page: Math.min(Math.max(q.page, 1), pages), pages };
}
