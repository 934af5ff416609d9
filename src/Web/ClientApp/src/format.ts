// Dates and words as people in the UK read them, written as the server writes them (UkCalendar.Describe):
// "31 December 2026", "15 July 2027 09:30", in London time.

const London = "Europe/London";

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const dateTimeParts = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: London });
const isoDay = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: London });

/** "2026-12-31" as "31 December 2026". */
export function day(date: string | undefined): string {
  if (!date) return "";
  const [y, m, d] = date.split("-").map(Number);
  return dayFormat.format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** A range of days as DayRange.Describe says it: "on 12 March 2027", "between 12 and 19 March 2027", "between 28 February and 3 March 2027". */
export function dayRange(from: string, to: string): string {
  if (from === to) return `on ${day(from)}`;
  const [fy, fm, fd] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  const start = fy !== ty ? day(from) : fm !== tm ? day(from).replace(/ \d+$/, "") : String(fd);
  return `between ${start} and ${day(to)}`;
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An instant as a UK date and time, "15 July 2027 09:30" (Intl would put "at" between them). */
export function when(instant: string | undefined): string {
  if (!instant) return "";
  const part = Object.fromEntries(dateTimeParts.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${part.day} ${part.month} ${part.year} ${part.hour}:${part.minute}`;
}

/** Today's date in the UK, as "yyyy-mm-dd". */
export function ukToday(): string {
  return isoDay.format(new Date());
}

/** Whole days from `from` to `to` (both "yyyy-mm-dd"). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "in-progress" as "In progress". */
export function words(key: string | undefined): string {
  if (!key) return "";
  const text = key.replaceAll("-", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const categoryTitles: Record<string, string> = {
  "housing-adaptation": "Housing / home adaptation",
  "care-package": "Care package / recruitment",
  equipment: "Equipment",
  "carer-training": "Carer / parent training",
  "funding-decision": "Funding / continuing-care decision",
  "social-care-safeguarding": "Social care / safeguarding",
  education: "Education",
  medical: "Medical",
  transport: "Transport",
  "family-choice": "Family choice",
  other: "Other",
};

export function categoryTitle(key: string): string {
  return categoryTitles[key] ?? words(key);
}

/** An SLA clock in words: "12 days left", "Due today", "3 days over". */
export function slaClock(slaDueDate: string): { text: string; breached: boolean } {
  const left = daysBetween(ukToday(), slaDueDate);
  if (left > 0) return { text: `${plural(left, "day")} left`, breached: false };
  if (left === 0) return { text: "Due today", breached: false };
  return { text: `${plural(-left, "day")} over`, breached: true };
}

/** An NHS number as the NHS prints it, 3-3-4: "9434765919" as "943 476 5919". */
export function nhsNumber(digits: string | undefined): string {
  return digits && /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : (digits ?? "");
}
