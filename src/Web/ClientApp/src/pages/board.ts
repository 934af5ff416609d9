import { barChart } from "../chart";
import { byId, h, scrolling } from "../dom";
import { viewProblem } from "../forms";
import { categoryTitle, categoryTitles, day, plural, words } from "../format";
import type { Live } from "../live";
import type { BoardChanges, BoardRow, BoardTotals, BoardView } from "../types";

// The coordinators' board: every child with stage, delay, blockers, escalation and SLA breaches; filters and
// sort on the page; rows change in place as the children's twins change.

type SortKey = "delay" | "name" | "escalation" | "breaches" | "predicted";

interface Filters { hospital: string; agency: string; category: string; minDelay: number; sort: SortKey; }

export function startBoard(live: Live): void {
  const root = byId("board-root");
  const boardKey = document.body.dataset.board!;
  const rows = new Map<string, BoardRow>();
  const versions = new Map<string, number>();
  const rowElements = new Map<string, HTMLTableRowElement>();
  const filters: Filters = { hospital: "", agency: "", category: "", minDelay: 0, sort: "delay" };
  let names: { services: Record<string, string>; hospitals: Record<string, string> } = { services: {}, hospitals: {} };
  const figures = h("div", { class: "app-figures" });
  const charts = h("div", { class: "app-charts" });
  const tbody = h("tbody", { class: "nhsuk-table__body" });
  const shown = h("p", { class: "nhsuk-body-s", role: "status", "data-shown": "" });

  const serviceName = (key: string) => names.services[key] ?? key;
  const hospitalName = (key: string) => names.hospitals[key] ?? key;

  function show(view: BoardView): void {
    names = { services: view.serviceNames, hospitals: view.hospitalNames };
    rows.clear();
    versions.clear();
    rowElements.clear();
    for (const row of view.rows) rows.set(row.childId, row);
    tbody.replaceChildren();
    root.replaceChildren(
      h("p", { class: "nhsuk-lede-text" }, view.title),
      figures,
      h("h2", {}, "Where the delay days are"),
      charts,
      h("h2", {}, "Children"),
      filterForm(),
      shown,
      scrolling("Children", h("table", { class: "nhsuk-table app-board", "data-board-table": "" },
          h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, `Children on ${view.title}`),
          h("thead", { class: "nhsuk-table__head" }, h("tr", {},
            ...["Child", "Hospital", "Stage", "Days delayed", "Open blockers", "Owning agencies", "Escalation", "SLA breaches", "Predicted ready"]
              .map((t) => h("th", { scope: "col" }, t)))),
          tbody)));
    showTotals(view.totals);
    for (const row of rows.values()) rowElements.set(row.childId, rowElement(row));
    arrange();
    root.dataset.loaded = "true";
  }

  function apply(changes: unknown): void {
    const { rows: changed, totals } = changes as BoardChanges;
    for (const change of changed) {
      if ((versions.get(change.childId) ?? -1) > change.childVersion) continue;
      versions.set(change.childId, change.childVersion);
      rows.set(change.childId, change.row);
      const fresh = rowElement(change.row);
      fresh.classList.add("app-changed");
      rowElements.get(change.childId)?.replaceWith(fresh);
      rowElements.set(change.childId, fresh);
    }
    showTotals(totals);
    arrange();
  }

  function showTotals(totals: BoardTotals): void {
    const figure = (value: string | number, label: string) =>
      h("div", { class: "app-figure" }, h("span", { class: "app-figure__value" }, String(value)), label);
    figures.replaceChildren(
      figure(totals.children, "children on the board"),
      figure(totals.childrenDelayed, "children delayed"),
      figure(totals.daysDelayed, "days delayed in total"),
      figure(totals.slaBreaches, "blockers past their SLA"),
      figure(totals.awaitingAcknowledgement, "escalations awaiting acknowledgement"));
    charts.replaceChildren(
      barChart("Delay days by owning agency", "days", Object.entries(totals.delayDaysByService).map(([k, v]) => ({ label: serviceName(k), value: v }))),
      barChart("Delay days by blocker category", "days", Object.entries(totals.delayDaysByCategory).map(([k, v]) => ({ label: categoryTitle(k), value: v }))));
  }

  function filterForm(): HTMLElement {
    const choice = (id: string, label: string, options: [string, string][], current: string, set: (v: string) => void) => {
      const control = h("select", { class: "nhsuk-select", id, name: id },
        h("option", { value: "" }, "All"), ...options.map(([value, text]) => h("option", { value, selected: value === current }, text)));
      control.addEventListener("change", () => { set(control.value); arrange(); });
      return h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: id }, label), control);
    };
    const hospitals = [...new Set([...rows.values()].map((r) => r.hospitalKey))].sort().map((k): [string, string] => [k, hospitalName(k)]);
    const agencies = Object.keys(names.services).sort((a, b) => serviceName(a).localeCompare(serviceName(b))).map((k): [string, string] => [k, serviceName(k)]);
    const categories = Object.entries(categoryTitles);
    const delay = h("input", { class: "nhsuk-input nhsuk-input--width-4", id: "filter-delay", name: "filter-delay", type: "number", min: 0, inputmode: "numeric", value: filters.minDelay || "" });
    delay.addEventListener("input", () => { filters.minDelay = Math.max(0, Number(delay.value) || 0); arrange(); });
    const sort = h("select", { class: "nhsuk-select", id: "filter-sort", name: "filter-sort" },
      ...([["delay", "Days delayed (most first)"], ["escalation", "Escalation level"], ["breaches", "SLA breaches"], ["predicted", "Predicted ready date"], ["name", "Name"]] as [SortKey, string][])
        .map(([value, text]) => h("option", { value, selected: value === filters.sort }, text)));
    sort.addEventListener("change", () => { filters.sort = sort.value as SortKey; arrange(); });
    const form = h("form", { class: "app-filters", "aria-label": "Filter and sort the children" },
      choice("filter-hospital", "Hospital", hospitals, filters.hospital, (v) => { filters.hospital = v; }),
      choice("filter-agency", "Owning agency", agencies, filters.agency, (v) => { filters.agency = v; }),
      choice("filter-category", "Blocker category", categories, filters.category, (v) => { filters.category = v; }),
      h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: "filter-delay" }, "Delayed more than (days)"), delay),
      h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: "filter-sort" }, "Sort by"), sort));
    form.addEventListener("submit", (e) => e.preventDefault());
    return form;
  }

  function visible(row: BoardRow): boolean {
    return (!filters.hospital || row.hospitalKey === filters.hospital)
      && (!filters.agency || (row.openBlockersByService[filters.agency] ?? 0) > 0)
      && (!filters.category || (row.openBlockersByCategory[filters.category] ?? 0) > 0)
      && (filters.minDelay === 0 || row.daysDelayed > filters.minDelay);
  }

  function compare(a: BoardRow, b: BoardRow): number {
    switch (filters.sort) {
      case "name": return a.childName.localeCompare(b.childName);
      case "escalation": return b.maxEscalationLevel - a.maxEscalationLevel || b.daysDelayed - a.daysDelayed;
      case "breaches": return b.slaBreaches - a.slaBreaches || b.daysDelayed - a.daysDelayed;
      case "predicted": return (b.predictedReadyDate ?? "").localeCompare(a.predictedReadyDate ?? "");
      default: return b.daysDelayed - a.daysDelayed || a.childId.localeCompare(b.childId);
    }
  }

  /** Shows the rows that pass the filters in sort order, moving only the rows that are out of place. */
  function arrange(): void {
    const ordered = [...rows.values()].filter(visible).sort(compare).map((r) => rowElements.get(r.childId)!);
    const keep = new Set(ordered);
    for (const child of Array.from(tbody.children)) if (!keep.has(child as HTMLTableRowElement)) child.remove();
    ordered.forEach((element, index) => {
      if (tbody.children[index] !== element) tbody.insertBefore(element, tbody.children[index] ?? null);
    });
    shown.textContent = `Showing ${plural(ordered.length, "child", "children")} of ${rows.size}.`;
  }

  function rowElement(row: BoardRow): HTMLTableRowElement {
    const cell = (...content: (Node | string)[]) => h("td", { class: "nhsuk-table__cell" }, ...content);
    const list = (entries: [string, number][], item: (k: string) => Node | string) =>
      entries.length === 0 ? "None" : h("ul", { class: "nhsuk-list nhsuk-u-margin-bottom-0" }, ...entries.map(([k, n]) => h("li", {}, item(k), n > 1 ? ` ×${n}` : "")));
    const escalation = row.maxEscalationLevel > 0
      ? h("strong", { class: `nhsuk-tag ${row.maxEscalationLevel >= 2 ? "nhsuk-tag--red" : "nhsuk-tag--orange"}` }, `Level ${row.maxEscalationLevel}`)
      : "None";
    return h("tr", { class: "nhsuk-table__row", "data-child-id": row.childId },
      cell(h("a", { href: `/children/${encodeURIComponent(row.childId)}` }, row.childName)),
      cell(hospitalName(row.hospitalKey)),
      cell(row.stageTitle ?? (row.stage ? words(row.stage) : "Not started")),
      cell(h("span", { "data-days-delayed": "" }, String(row.daysDelayed))),
      cell(list(Object.entries(row.openBlockersByCategory), categoryTitle)),
      cell(list(Object.entries(row.openBlockersByService), (k) => h("a", { href: `/services/${encodeURIComponent(k)}` }, serviceName(k)))),
      cell(escalation, row.awaitingAcknowledgement > 0 ? h("span", { class: "app-meta" }, ` ${row.awaitingAcknowledgement} awaiting acknowledgement`) : ""),
      cell(row.slaBreaches > 0 ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, String(row.slaBreaches)) : "0"),
      cell(row.predictedReadyDate ? day(row.predictedReadyDate) : "—"));
  }

  live.watch(`board:${boardKey}`, () => live.invoke<BoardView>("WatchBoard", boardKey), show, apply, (problem) => viewProblem(root, problem));
}
