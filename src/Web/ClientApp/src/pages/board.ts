import { barChart, weekChart } from "../chart";
import { byId, h, scrolling } from "../dom";
import { viewProblem } from "../forms";
import { capitalised, categoryTitle, categoryTitles, day, dayRange, nhsNumber, plural, ukToday, words } from "../format";
import type { Live } from "../live";
import type { BoardChanges, BoardRow, BoardTotals, BoardView } from "../types";
import { type BoardList, type BoardQuery, defaultSort, isDischarged, pageOf, pageSize, parseQuery, recentlyDischargedDays, select, sortTitles, toAddress } from "./boardQuery";

// The coordinators' board: the children still in hospital (or, on its second list, those discharged in the last
// 30 days) with stage, delay, blockers, escalation and SLA breaches, one page of 50 at a time. The list, filters,
// sort and page live in the address, so a reload, a shared link and the back button keep them; the CSV link
// exports the same list. Rows change in place as the children's twins change; only the page shown is in the DOM,
// so a board of thousands stays quick.

/** As DelayWeeksHtml and BoardDelayWeeks on the server. */
const weeksShown = 12;
const noBlockerOpen = "No blocker open";
const unlistedService = "a service not in the directory";
const weeksWorkedOut = "Each delayed day is shared equally among the child's blockers open that day, and owed to the agency that owned each one that day. " +
  "Weeks start on Monday. Children discharged since count for the days they waited.";

/** The Mondays ("yyyy-mm-dd") of the last 12 ISO weeks on `today`, this week last. */
function weeksShownOn(today: string): string[] {
  const [y, m, d] = today.split("-").map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  const monday = date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000;
  return Array.from({ length: weeksShown }, (_, i) => new Date(monday - (weeksShown - 1 - i) * 7 * 86_400_000).toISOString().slice(0, 10));
}

export function startBoard(live: Live): void {
  const root = byId("board-root");
  const boardKey = document.body.dataset.board!;
  const rows = new Map<string, BoardRow>();
  const versions = new Map<string, number>();
  /** Row elements built so far (only for rows that have been on a page), dropped when the row changes. */
  const built = new Map<string, HTMLTableRowElement>();
  const changed = new Set<string>();
  let query: BoardQuery = parseQuery("", new Set(), new Set(), new Set());
  /** An unanswered family concern older than this is raised on its row and counted (the server's Web:Board setting). */
  let concernHours = 48;
  let names: { services: Record<string, string>; hospitals: Record<string, string>; stages: Record<string, string> } = { services: {}, hospitals: {}, stages: {} };
  let controls: { search: HTMLInputElement; hospital: HTMLSelectElement; agency: HTMLSelectElement; category: HTMLSelectElement; delay: HTMLInputElement; sort: HTMLSelectElement } | undefined;
  const figures = h("div", { class: "app-figures" });
  const familyCosts = h("p", { class: "nhsuk-body-s", "data-family-costs": "" });
  const charts = h("div", { class: "app-charts" });
  const weekCharts = h("div", { class: "app-week-charts" });
  const weeksExport = h("a", { class: "nhsuk-link", "data-delay-weeks-export": "", download: "" }, "Download delay days by week as CSV");
  const tabs = h("nav", { class: "app-board-lists", "aria-label": "Lists", "data-board-lists": "" });
  const filters = h("div", {});
  const tbody = h("tbody", { class: "nhsuk-table__body" });
  const shown = h("p", { class: "nhsuk-body-s", role: "status", "data-shown": "" });
  const exportLink = h("a", { class: "nhsuk-link", "data-export": "", download: "" }, "Download this list as CSV");
  const pager = h("nav", { class: "app-pager", "aria-label": "Pages of children", "data-pager": "" });
  const caption = h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" });
  const tableRegion = scrolling("Children", h("table", { class: "nhsuk-table app-board", "data-board-table": "" },
    caption,
    h("thead", { class: "nhsuk-table__head" }, h("tr", {},
      ...["Child", "Hospital", "Stage", "Days delayed", "Open blockers", "Owning agencies", "Escalation", "SLA breaches", "Predicted ready", "Likely ready"]
        .map((t) => h("th", { scope: "col" }, t)))),
    tbody));
  tableRegion.classList.add("app-board-scroll");

  const serviceName = (key: string) => names.services[key] ?? key;
  const hospitalName = (key: string) => names.hospitals[key] ?? key;
  const knownHospitals = () => new Set([...Object.keys(names.hospitals), ...[...rows.values()].map((r) => r.hospitalKey)]);
  const readAddress = () => parseQuery(location.search, knownHospitals(), new Set(Object.keys(names.services)), new Set(Object.keys(categoryTitles)));

  /** The address of the board with a query: the board chosen stays first, as the server's board form puts it. */
  function addressOf(q: BoardQuery, withPage = true): string {
    const params = new URLSearchParams();
    const board = new URLSearchParams(location.search).get("board");
    if (board) params.set("board", board);
    for (const [k, v] of toAddress(q, withPage)) params.set(k, v);
    const text = params.toString();
    return text ? `?${text}` : location.pathname;
  }

  /** Shows `next` and records it in the address: a new history entry (back returns to the one before), or in place. */
  function go(next: BoardQuery, entry: "push" | "replace"): void {
    query = next;
    const target = addressOf(query);
    if (target !== `${location.search || location.pathname}`) history[entry === "push" ? "pushState" : "replaceState"](null, "", target);
    syncControls();
    render();
  }

  window.addEventListener("popstate", () => {
    query = readAddress();
    syncControls();
    render();
  });

  function show(view: BoardView): void {
    const started = performance.now();
    names = { services: view.serviceNames, hospitals: view.hospitalNames, stages: view.stageTitles ?? {} };
    concernHours = view.concernAnswerWithinHours ?? concernHours;
    rows.clear();
    versions.clear();
    built.clear();
    changed.clear();
    for (const row of view.rows) rows.set(row.childId, row);
    caption.textContent = `Children on ${view.title}`;
    const board = new URLSearchParams(location.search).get("board");
    weeksExport.href = `/board/delays-by-week.csv${board ? `?board=${encodeURIComponent(board)}` : ""}`;
    query = readAddress();
    const typed = typedOnServer();
    filters.replaceChildren(filterForm());
    root.replaceChildren(
      h("p", { class: "nhsuk-lede-text" }, view.title),
      figures,
      familyCosts,
      h("h2", {}, "Where the delay days are"),
      charts,
      h("h2", {}, "Delay days by week"),
      h("div", { "data-delay-weeks": "" }, h("p", { class: "nhsuk-body-s" }, `The last ${weeksShown} weeks. ${weeksWorkedOut}`), weekCharts, h("p", { class: "nhsuk-body-s" }, weeksExport)),
      h("h2", {}, "Children"),
      tabs,
      filters,
      h("div", { class: "app-board-status" }, shown, h("p", { class: "nhsuk-body-s" }, exportLink)),
      tableRegion,
      pager);
    showTotals(view.totals);
    // Unknown values are dropped from the address, so what it says is what the page shows.
    go(query, "replace");
    typed();
    root.dataset.loaded = "true";
    timed("board-show", started);
  }

  function apply(changes: unknown): void {
    const started = performance.now();
    const { rows: changedRows, totals } = changes as BoardChanges;
    for (const change of changedRows) {
      if ((versions.get(change.childId) ?? -1) > change.childVersion) continue;
      versions.set(change.childId, change.childVersion);
      rows.set(change.childId, change.row);
      built.delete(change.childId);
      changed.add(change.childId);
    }
    showTotals(totals);
    render();
    timed("board-apply", started);
  }

  /** The latest timing of a step, for bench/BoardRender (User Timing: one entry per name, so nothing piles up). */
  function timed(name: string, started: number): void {
    performance.clearMeasures(name);
    performance.measure(name, { start: started });
  }

  /** How long the row's oldest unanswered family concern has waited, in words, once past the board's time; undefined before. */
  function concernWaiting(row: BoardRow): string | undefined {
    if (!row.oldestUnansweredConcern) return undefined;
    const waited = Date.now() - Date.parse(row.oldestUnansweredConcern);
    return waited > concernHours * 3_600_000 ? hoursInWords(Math.floor(waited / 3_600_000)) : undefined;
  }

  function hoursInWords(hours: number): string {
    return hours >= 24 ? plural(Math.floor(hours / 24), "day") : plural(hours, "hour");
  }

  function showTotals(totals: BoardTotals): void {
    const live = [...rows.values()].filter((r) => !isDischarged(r));
    const figure = (value: string | number, label: string) =>
      h("div", { class: "app-figure" }, h("span", { class: "app-figure__value" }, String(value)), label);
    figures.replaceChildren(
      figure(totals.children, "children on the board"),
      figure(totals.childrenDelayed, "children delayed"),
      figure(totals.daysDelayed, "days delayed in total"),
      figure(totals.slaBreaches, "blockers past their SLA"),
      figure(totals.awaitingAcknowledgement, "escalations awaiting acknowledgement"),
      // Counted from the rows (each carries its open concerns and the oldest unanswered one), live list only.
      figure(live.reduce((n, r) => n + r.familyConcerns, 0), "family concerns open"),
      figure(live.filter((r) => concernWaiting(r) !== undefined).length, `children with a family concern waiting over ${hoursInWords(concernHours)}`),
      ...totals.familyCosts.figures.map((f) => figure(f.value, f.label)));
    familyCosts.textContent = totals.familyCosts.workedOut;
    charts.replaceChildren(
      barChart("Delay days by owning agency", "days", Object.entries(totals.delayDaysByService).map(([k, v]) => ({ label: serviceName(k), value: v }))),
      barChart("Delay days by blocker category", "days", Object.entries(totals.delayDaysByCategory).map(([k, v]) => ({ label: categoryTitle(k), value: v }))));
    showDelayWeeks();
  }

  /** Delay days by week over the last 12 weeks, added up from every row (discharged children's too), as BoardDelayWeeks does. */
  function showDelayWeeks(): void {
    const weeks = weeksShownOn(ukToday());
    const shares = [...rows.values()].flatMap((r) => (r.delayWeeks ?? []).filter((w) => w.weekStarting >= weeks[0]! && w.days > 0));
    weekCharts.replaceChildren(
      weekChart("board-weeks-agency", "Delay days by week and owning agency", "Other agencies", weeks,
        shares.map((w) => ({ label: w.service ? names.services[w.service] ?? unlistedService : noBlockerOpen, week: w.weekStarting, days: w.days })), day, weeksShown),
      weekChart("board-weeks-category", "Delay days by week and blocker category", "Other categories", weeks,
        shares.map((w) => ({ label: w.category ? categoryTitle(w.category) : noBlockerOpen, week: w.weekStarting, days: w.days })), day, weeksShown));
  }

  function filterForm(): HTMLElement {
    const choice = (id: string, label: string, options: [string, string][], set: (q: BoardQuery, v: string) => BoardQuery) => {
      const control = h("select", { class: "nhsuk-select", id, name: id },
        h("option", { value: "" }, "All"), ...options.map(([value, text]) => h("option", { value }, text)));
      control.addEventListener("change", () => go({ ...set(query, control.value), page: 1 }, "push"));
      return { control, group: h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: id }, label), control) };
    };
    const hospitals = choice("filter-hospital", "Hospital", [...knownHospitals()].sort().map((k): [string, string] => [k, hospitalName(k)]), (q, v) => ({ ...q, hospital: v }));
    const agencies = choice("filter-agency", "Owning agency",
      Object.keys(names.services).sort((a, b) => serviceName(a).localeCompare(serviceName(b))).map((k): [string, string] => [k, serviceName(k)]), (q, v) => ({ ...q, agency: v }));
    const categories = choice("filter-category", "Blocker category", Object.entries(categoryTitles), (q, v) => ({ ...q, category: v }));
    // Typing is one step back, not one per key: the first key of an edit adds a history entry, the rest replace it.
    const typed = (input: HTMLInputElement, set: (q: BoardQuery, v: string) => BoardQuery) => {
      let editing = false;
      input.addEventListener("input", () => {
        go({ ...set(query, input.value), page: 1 }, editing ? "replace" : "push");
        editing = true;
      });
      input.addEventListener("change", () => { editing = false; });
      return input;
    };
    const search = typed(h("input", { class: "nhsuk-input", id: "filter-search", name: "filter-search", type: "search", autocomplete: "off", spellcheck: false, maxlength: 100 }),
      (q, v) => ({ ...q, search: v.trim() }));
    const delay = typed(h("input", { class: "nhsuk-input nhsuk-input--width-4", id: "filter-delay", name: "filter-delay", type: "number", min: 0, inputmode: "numeric" }),
      (q, v) => ({ ...q, minDelay: Math.min(10_000, Math.max(0, Math.floor(Number(v)) || 0)) }));
    const sort = h("select", { class: "nhsuk-select", id: "filter-sort", name: "filter-sort" });
    sort.addEventListener("change", () => go({ ...query, sort: sort.value as BoardQuery["sort"], page: 1 }, "push"));
    controls = { search, hospital: hospitals.control, agency: agencies.control, category: categories.control, delay, sort };
    const form = h("form", { class: "app-filters", "aria-label": "Filter and sort the children" },
      h("div", { class: "nhsuk-form-group app-filters__search" }, h("label", { class: "nhsuk-label", for: "filter-search" }, "Find a child (name or NHS number)"), search),
      hospitals.group, agencies.group, categories.group,
      h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: "filter-delay" }, "Delayed more than (days)"), delay),
      h("div", { class: "nhsuk-form-group" }, h("label", { class: "nhsuk-label", for: "filter-sort" }, "Sort by"), sort));
    form.addEventListener("submit", (e) => e.preventDefault());
    return form;
  }

  /**
   * The first view is the server's, with a filter form that asks by reloading (for reading without JavaScript). What
   * was typed or chosen in it and not yet sent carries over to the live form (the controls have the same ids), and
   * so does the focus, so going live never loses a coordinator's half-typed search. Returns what puts them back.
   */
  function typedOnServer(): () => void {
    const form = root.querySelector<HTMLFormElement>("form[data-board-filters]");
    if (!form) return () => {};
    const focused = form.contains(document.activeElement) ? document.activeElement!.id : "";
    const changed = Array.from(form.elements).flatMap((e) =>
      (e instanceof HTMLInputElement && e.type !== "hidden" && e.value !== e.defaultValue)
        || (e instanceof HTMLSelectElement && e.value !== (Array.from(e.options).find((o) => o.defaultSelected) ?? e.options[0])?.value)
        ? [[e.id, (e as HTMLInputElement | HTMLSelectElement).value] as const] : []);
    return () => {
      for (const [id, value] of changed) {
        const control = document.getElementById(id);
        if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
        control.value = value;
        control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? "change" : "input"));
      }
      if (focused) document.getElementById(focused)?.focus();
    };
  }

  /** Puts the query into the controls (after a reload, or the back button). */
  function syncControls(): void {
    if (!controls) return;
    if (document.activeElement !== controls.search) controls.search.value = query.search;
    controls.hospital.value = query.hospital;
    controls.agency.value = query.agency;
    controls.category.value = query.category;
    if (document.activeElement !== controls.delay) controls.delay.value = query.minDelay ? String(query.minDelay) : "";
    controls.sort.replaceChildren(...sortTitles
      .filter(([key]) => key !== "discharged" || query.list === "discharged")
      .map(([value, text]) => h("option", { value, selected: value === query.sort }, text)));
  }

  /** Shows the page of rows the query asks for, reusing the row elements that did not change. */
  function render(): void {
    const started = performance.now();
    const today = ukToday();
    const selected = select(query, rows.values(), today);
    const { page, pages } = pageOf(query, selected.length);
    if (page !== query.page) {
      // A page past the last (an old link, or children who left the list) shows the last.
      query = { ...query, page };
      history.replaceState(null, "", addressOf(query));
    }
    const first = (page - 1) * pageSize;
    const onPage = selected.slice(first, first + pageSize);
    const wanted: HTMLTableRowElement[] = onPage.map((row) => {
      let element = built.get(row.childId);
      if (!element) {
        element = rowElement(row);
        if (changed.has(row.childId)) element.classList.add("app-changed");
        built.set(row.childId, element);
      }
      return element;
    });
    changed.clear();
    if (wanted.length === 0) {
      tbody.replaceChildren(h("tr", { class: "nhsuk-table__row", "data-empty": "" },
        h("td", { class: "nhsuk-table__cell", colspan: 10 }, query.list === "live" ? "No children on the board match these filters." : "No child discharged in the last 30 days matches these filters.")));
    } else {
      for (const child of Array.from(tbody.children)) if (!wanted.includes(child as HTMLTableRowElement)) child.remove();
      wanted.forEach((element, index) => {
        if (tbody.children[index] !== element) tbody.insertBefore(element, tbody.children[index] ?? null);
      });
    }
    const total = query.list === "live" ? [...rows.values()].filter((r) => !isDischarged(r)).length : select({ ...query, search: "", hospital: "", agency: "", category: "", minDelay: 0 }, rows.values(), today).length;
    shown.textContent = selected.length === 0
      ? `Showing no children of ${total}.`
      : `Showing ${first + 1}–${first + onPage.length} of ${plural(selected.length, "child", "children")}${selected.length < total ? ` (filtered from ${total})` : ""}.`;
    exportLink.href = `/board/export.csv${addressOf(query, false).startsWith("?") ? addressOf(query, false) : ""}`;
    exportLink.textContent = `Download ${selected.length === 1 ? "this child" : `these ${selected.length} children`} as CSV`;
    showTabs(today);
    showPager(page, pages);
    timed("board-render", started);
  }

  function showTabs(today: string): void {
    const count = (list: BoardList) => select({ list, search: "", hospital: "", agency: "", category: "", minDelay: 0, sort: defaultSort(list), page: 1 }, rows.values(), today).length;
    const tab = (list: BoardList, text: string) => {
      const target = { ...query, list, sort: defaultSort(list), page: 1 };
      const link = h("a", { class: "app-board-lists__link", href: addressOf(target), "aria-current": query.list === list ? "page" : false, "data-list": list }, `${text} (${count(list)})`);
      link.addEventListener("click", (e) => { e.preventDefault(); go(target, "push"); });
      return h("li", {}, link);
    };
    tabs.replaceChildren(h("ul", { class: "app-board-lists__items" },
      tab("live", "On the board"), tab("discharged", `Discharged in the last ${recentlyDischargedDays} days`)));
  }

  function showPager(page: number, pages: number): void {
    if (pages <= 1) { pager.replaceChildren(); return; }
    const link = (target: number, text: string, attributes: Record<string, string | boolean> = {}) => {
      const a = h("a", { class: "app-pager__link", href: addressOf({ ...query, page: target }), "data-page": target, ...attributes }, text);
      a.addEventListener("click", (e) => {
        e.preventDefault();
        go({ ...query, page: target }, "push");
        tableRegion.scrollTop = 0;
        tableRegion.scrollIntoView({ block: "start" });
      });
      return a;
    };
    const numbers = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
    const items: HTMLElement[] = [];
    if (page > 1) items.push(h("li", {}, link(page - 1, "Previous", { rel: "prev" })));
    numbers.forEach((n, i) => {
      if (i > 0 && n - numbers[i - 1]! > 1) items.push(h("li", { class: "app-pager__gap", "aria-hidden": "true" }, "…"));
      items.push(h("li", {}, n === page
        ? h("span", { class: "app-pager__current", "aria-current": "page", "data-current-page": n }, `Page ${n} of ${pages}`)
        : link(n, String(n), { "aria-label": `Page ${n}` })));
    });
    if (page < pages) items.push(h("li", {}, link(page + 1, "Next", { rel: "next" })));
    pager.replaceChildren(h("ul", { class: "app-pager__items" }, ...items));
  }

  function rowElement(row: BoardRow): HTMLTableRowElement {
    const cell = (...content: (Node | string)[]) => h("td", { class: "nhsuk-table__cell" }, ...content);
    const list = (entries: [string, number][], item: (k: string) => Node | string) =>
      entries.length === 0 ? "None" : h("ul", { class: "nhsuk-list nhsuk-u-margin-bottom-0" }, ...entries.map(([k, n]) => h("li", {}, item(k), n > 1 ? ` ×${n}` : "")));
    const escalation = row.maxEscalationLevel > 0
      ? h("strong", { class: `nhsuk-tag ${row.maxEscalationLevel >= 2 ? "nhsuk-tag--red" : "nhsuk-tag--orange"}` }, `Level ${row.maxEscalationLevel}`)
      : "None";
    const stage = row.dischargedOn ? `Discharged on ${day(row.dischargedOn)}`
      : row.stageTitle ?? (row.stage ? names.stages[row.stage] ?? words(row.stage) : "Not started");
    return h("tr", { class: "nhsuk-table__row", "data-child-id": row.childId },
      cell(h("a", { href: `/children/${encodeURIComponent(row.childId)}` }, row.childName),
        row.nhsNumber ? h("span", { class: "app-meta app-board__who", "data-nhs-number": "" }, `NHS number ${nhsNumber(row.nhsNumber)}`) : "",
        row.dateOfBirth ? h("span", { class: "app-meta app-board__who", "data-born": "" }, `Born ${day(row.dateOfBirth)}`) : "",
        row.familyConcerns > 0 ? h("span", { class: "app-meta app-board__who", "data-family-concerns": "" }, plural(row.familyConcerns, "family concern") + " open") : "",
        concernWaiting(row) ? h("strong", { class: "nhsuk-tag nhsuk-tag--red", "data-concern-waiting": "" }, `Concern waiting ${concernWaiting(row)}`) : ""),
      cell(hospitalName(row.hospitalKey)),
      cell(stage),
      cell(h("span", { "data-days-delayed": "" }, String(row.daysDelayed))),
      cell(list(Object.entries(row.openBlockersByCategory), categoryTitle)),
      cell(list(Object.entries(row.openBlockersByService), (k) => h("a", { href: `/services/${encodeURIComponent(k)}` }, serviceName(k)))),
      cell(escalation, row.awaitingAcknowledgement > 0 ? h("span", { class: "app-meta" }, ` ${row.awaitingAcknowledgement} awaiting acknowledgement`) : ""),
      cell(row.slaBreaches > 0 ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, String(row.slaBreaches)) : "0"),
      cell(row.predictedReadyDate ? day(row.predictedReadyDate) : "—"),
      cell(row.forecast ? h("span", { "data-forecast": "" }, capitalised(dayRange(row.forecast.likelyFrom, row.forecast.likelyBy))) : "—"));
  }

  live.watch(`board:${boardKey}`, () => live.invoke<BoardView>("WatchBoard", boardKey), show, apply, (problem) => viewProblem(root, problem));
}
