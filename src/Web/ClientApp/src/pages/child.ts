import { byId, fill, h, reconcile, scrolling, type Content } from "../dom";
import { actionForm, checkbox, checkboxes, PageActions, problemOf, select, textArea, textInput, viewProblem, type Values } from "../forms";
import { categoryTitles, day, dayRange, plural, slaClock, when, words } from "../format";
import type { Live } from "../live";
import { MessageList } from "../messages";
import type { AccessLogLine, ActionDone, BlockerView, ChildRecord, FamilyAccessOverview, FamilyAccessView, FamilyCosts, FamilyMessageLine, FamilyMessageLinesPage, IssuedInvite } from "../types";

// The child page: the professional record (blockers with their clocks, prediction, appointments, journal),
// the actions on it, and for coordinators who has viewed the record and the family's invites.

const destinations = ["family-home", "foster-care", "residential-placement", "hospice", "another-hospital", "other"];

export function startChild(live: Live): void {
  const root = byId("child-root");
  const childId = document.body.dataset.child!;
  const coordinator = document.body.dataset.role === "coordinator";
  const actions = new PageActions(live);
  let record: ChildRecord | undefined;
  let stageShown: string | undefined;

  const summary = h("dl", { class: "nhsuk-summary-list" });
  const openBlockers = h("div", { "data-open-blockers": "" });
  const closedBlockers = h("div");
  const appointments = h("div");
  const messages = new MessageList<FamilyMessageLine>({
    id: (m) => m.id,
    item: (m) => h("li", {},
      m.kind === "concern" ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, "Concern") : h("strong", { class: "nhsuk-tag nhsuk-tag--grey" }, "Note"),
      " ", h("span", { class: "app-pre" }, m.text), h("span", { class: "app-meta" }, ` — ${m.by}, ${when(m.at)}`),
      m.progress ? h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-1", "data-concern-progress": "" }, m.progress) : null,
      m.answer ? h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-1", "data-concern-answer": "" }, "Answer to the family: ", h("span", { class: "app-pre" }, m.answer)) : null,
      concernActions(m)),
    read: (before, count) => live.invoke<FamilyMessageLinesPage>("GetChildFamilyMessages", childId, before, count),
    empty: "Nothing yet.",
  });
  const familyCosts = h("div", { "data-family-costs": "" });
  const timeline = h("ol", { class: "app-timeline", reversed: true });
  const raiseSlot = h("div");
  const stageSlot = h("div");
  const accessLog = h("div");
  const familyAccess = h("div");

  const act = (method: string, input: Record<string, unknown>) => live.invoke<ActionDone>(method, childId, input);

  function show(next: ChildRecord): void {
    const first = record === undefined;
    record = next;
    if (first) {
      // What needs attention first: the family's concerns, then what is in the way; the long journal comes last.
      fill(root,
        actions.element,
        summary,
        h("h2", { id: "family-messages" }, "What the family told us"), messages.element,
        next.familyCosts ? h("h2", { id: "family-time-and-money" }, "Family's time and money") : null, next.familyCosts ? familyCosts : null,
        h("h2", { id: "blockers" }, "Open blockers"), openBlockers,
        next.actions.raiseFor.length > 0 ? h("h2", {}, "Raise a blocker") : null, next.actions.raiseFor.length > 0 ? raiseSlot : null,
        next.actions.canChangeStage ? h("h2", {}, "Change stage") : null, next.actions.canChangeStage ? stageSlot : null,
        coordinator ? h("h2", { id: "family-access" }, "Family access") : null, coordinator ? familyAccess : null,
        h("h2", {}, "Appointments"), appointments,
        h("h2", {}, "Closed blockers"), closedBlockers,
        h("h2", {}, "Journal"), h("p", { class: "nhsuk-body-s" }, "Every change, newest first: who, what, when and from which system."), timeline,
        coordinator ? h("h2", {}, "Who has viewed this record") : null, coordinator ? accessLog : null);
      raiseSlot.replaceChildren(raiseForm(next));
      if (coordinator) {
        void refreshFamilyAccess();
        void refreshAccessLog();
      }
    }
    renderSummary(next);
    const open = next.blockers.filter(isOpen);
    reconcile(openBlockers, open, (b) => b.id, blockerCard);
    renderStartsAfterForms(open);
    if (!next.blockers.some(isOpen)) openBlockers.replaceChildren(h("p", { class: "nhsuk-body" }, "No open blockers."));
    renderClosed(next.blockers.filter((b) => !isOpen(b)));
    renderAppointments(next);
    messages.update(next.familyMessages, next.olderFamilyMessages);
    if (next.familyCosts) renderFamilyCosts(next.familyCosts);
    timeline.replaceChildren(...next.timeline.map((line) => h("li", { value: line.version },
      h("span", { class: "app-meta" }, [when(line.at), `${line.who} (${words(line.role)})`, line.through].filter(Boolean).join(" · ")),
      h("p", { class: "nhsuk-body nhsuk-u-margin-bottom-0 app-pre" }, line.what))));
    // Rebuilt only when the stage moves, so a live update never takes away what the person was choosing.
    const stageNow = `${next.currentTransitionId}/${next.transitions.find((t) => t.id === next.currentTransitionId)?.stage}/${next.transitions.find((t) => t.id === next.currentTransitionId)?.isComplete}`;
    if (next.actions.canChangeStage && stageNow !== stageShown) {
      stageShown = stageNow;
      stageSlot.replaceChildren(stageForm(next));
    }
    root.dataset.version = String(next.version);
    root.dataset.loaded = "true";
  }

  function apply(changes: unknown): void {
    const next = changes as ChildRecord;
    if (record && next.version < record.version) return;
    show(next);
  }

  const isOpen = (b: BlockerView) => b.status === "open" || b.status === "in-progress";

  function row(key: string, ...value: Content[]): HTMLElement {
    return h("div", { class: "nhsuk-summary-list__row" }, h("dt", { class: "nhsuk-summary-list__key" }, key), h("dd", { class: "nhsuk-summary-list__value" }, ...value));
  }

  function renderSummary(r: ChildRecord): void {
    const current = r.transitions.find((t) => t.id === r.currentTransitionId);
    const critical = r.blockers.find((b) => b.id === r.prediction?.criticalPathBlockerId);
    fill(summary,
      row("NHS number", r.nhsNumber),
      row("Date of birth", day(r.dateOfBirth)),
      row("Hospital", r.hospitalName),
      row("Journey", current ? `${current.title}: ${current.stageTitle}${current.isComplete ? " (complete)" : ""}` : "Not started"),
      row("Days delayed", h("span", { "data-days-delayed": "" }, String(r.daysDelayed)),
        current?.dischargeReadyDate ? ` (medically ready since ${day(current.dischargeReadyDate)})` : ""),
      row("Forecast", forecast(r)),
      row("Predicted ready date", r.prediction ? day(r.prediction.predictedReadyDate) : "—",
        r.prediction?.criticalPathOverdue ? h("strong", { class: "nhsuk-tag nhsuk-tag--red nhsuk-u-margin-left-2" }, "Overdue") : null),
      row("Critical-path blocker", critical
        ? h("a", { href: `#blocker-${critical.id}` }, `${critical.categoryTitle}: ${critical.owningServiceName} (target ${day(critical.targetDate)})`)
        : "None: nothing open stands in the way"),
      row("Care team", r.careTeam.map((m) => `${m.name} (${m.role})`).join(", ") || "—"),
      coordinator ? row("Family view", h("a", { href: `/family/${encodeURIComponent(r.childId)}` }, "See what the family sees")) : null);
  }

  // As ChildRecordHtml.Forecast says it.
  function forecast(r: ChildRecord): Content {
    const f = r.forecast;
    if (!f) return "—";
    const driver = r.blockers.find((b) => b.id === f.drivingBlockerId);
    return h("span", { "data-forecast": "" }, `Likely ready ${dayRange(f.likelyFrom, f.likelyBy)}`,
      driver ? ", driven by " : ": nothing open stands in the way",
      driver ? h("a", { href: `#blocker-${driver.id}` }, `${driver.categoryTitle} (${driver.owningServiceName})`) : null);
  }

  function blockerCard(b: BlockerView): HTMLElement {
    const sla = slaClock(b.slaDueDate);
    const tags = [
      h("strong", { class: "nhsuk-tag nhsuk-tag--grey" }, words(b.status)),
      b.sensitive ? h("strong", { class: "nhsuk-tag nhsuk-tag--purple" }, "Sensitive: never shown to the family") : null,
      b.onCriticalPath ? h("strong", { class: "nhsuk-tag nhsuk-tag--blue" }, "Critical path") : null,
      sla.breached ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, "SLA breached") : null,
      b.escalationLevel > 0 ? h("strong", { class: "nhsuk-tag nhsuk-tag--orange" }, `Escalation level ${b.escalationLevel}`) : null,
    ];
    const pending = b.pendingEscalation;
    // Blockers hidden from this reader are not in the record, so they are never named here.
    const waitsFor = b.startsAfter.map((id) => record?.blockers.find((o) => o.id === id)).filter((o): o is BlockerView => o !== undefined);
    const forms = blockerActions(b);
    return h("div", { class: "nhsuk-card app-blocker", id: `blocker-${b.id}`, "data-blocker-id": b.id },
      h("div", { class: "nhsuk-card__content" },
        h("h3", { class: "nhsuk-card__heading" }, `${b.categoryTitle}: ${b.owningServiceName}`),
        h("p", { class: "nhsuk-body-s" }, ...tags.flatMap((t) => (t ? [t, " "] : []))),
        h("p", { class: "nhsuk-body app-pre", "data-professional-text": "" }, b.professionalText),
        // A sensitive blocker is never shown to the family, so nothing here says what they see.
        b.familyText && !b.sensitive ? h("p", { class: "nhsuk-body-s" }, "Family sees: ", h("span", { "data-family-text": "" }, b.familyText)) : null,
        h("dl", { class: "nhsuk-summary-list nhsuk-u-margin-bottom-2" },
          row("Owner", b.namedOwner ? `${b.namedOwner}, ${b.owningServiceName}` : b.owningServiceName),
          row("Raised", `${when(b.raisedAt)} (${plural(b.ageDays, "day")} ago)`),
          row("Target date", day(b.targetDate)),
          row("SLA", `Due ${day(b.slaDueDate)}: ${sla.text}`),
          waitsFor.length > 0 ? row("Starts after", h("span", { "data-starts-after": "" }, waitsFor.map(title).join(", "))) : null,
          pending ? row("Escalation waiting", `Level ${pending.level} to ${pending.contact.name} (${pending.contact.role}), acknowledge by ${when(pending.acknowledgeBy)}: ${pending.reason}`) : null),
        forms.length === 0 ? null : h("details", { class: "nhsuk-details nhsuk-u-margin-bottom-0" },
          h("summary", { class: "nhsuk-details__summary" }, h("span", { class: "nhsuk-details__summary-text" },
            "Act on this blocker", h("span", { class: "nhsuk-u-visually-hidden" }, `: ${describe(b)}`))),
          h("div", { class: "nhsuk-details__text app-actions" }, ...forms))));
  }

  // As ChildRecordHtml's FamilyCostsHtml: the words come from the server, so the family's page and this one agree.
  function renderFamilyCosts(costs: FamilyCosts): void {
    fill(familyCosts,
      h("p", { class: "nhsuk-body", "data-travel-told": "" }, `What the family told us about getting there: ${costs.travel ?? "nothing yet."}`),
      h("ul", { class: "nhsuk-list", "data-family-burden": "" }, ...costs.burden.map((b) => h("li", {}, b))),
      h("p", { class: "nhsuk-body-s" }, "The family sees these figures and sentences on their page."),
      ...costs.periods.flatMap((p) => [
        h("h3", { class: "nhsuk-heading-s" }, p.period),
        h("ul", { class: "nhsuk-list", "data-cost-period": "" }, ...p.figures.map((f) => h("li", {},
          h("strong", {}, `${f.what}: ${f.figure}.`), ` How this was worked out: ${f.workedOut}`))),
      ]),
      h("p", { class: "nhsuk-body-s", "data-cost-basis": "" }, costs.basis));
  }

  // A concern is named by the start of what the family wrote, as the journal names it.
  function concernName(m: FamilyMessageLine): string {
    return `the family's concern “${m.text.length <= 50 ? m.text : `${m.text.slice(0, 47).trimEnd()}…`}”`;
  }

  // For whoever the access policy lets answer the family (sent with the view): read, answer and close while it is not closed.
  function concernActions(m: FamilyMessageLine): HTMLElement | null {
    if (m.kind !== "concern" || m.status === "closed" || !record?.actions.canAnswerConcerns) return null;
    const it = concernName(m);
    const forms: HTMLElement[] = [];
    if (m.status === "open") {
      forms.push(actionForm({ label: `Mark as read: ${it}`, heading: "Mark as read", button: "Mark as read", secondary: true }, [],
        async (_v, requestId) => done(await act("AcknowledgeConcern", { requestId, messageId: m.id }), `Marked ${it} as read. The family sees that the team has read it.`)));
    }
    forms.push(actionForm({ label: `Answer ${it}`, heading: "Answer", button: "Send answer" },
      [textArea({ name: "text", label: "Your answer to the family", hint: "The family reads this on their page, in these words." })],
      async (v, requestId) => done(await act("AnswerConcern", { requestId, messageId: m.id, text: v.text }), `Answered ${it}. The family sees your answer.`)));
    forms.push(actionForm({ label: `Close ${it}`, heading: "Close", button: "Close concern", secondary: true }, [],
      async (_v, requestId) => done(await act("CloseConcern", { requestId, messageId: m.id }), `Closed ${it}.`)));
    return h("details", { class: "nhsuk-details nhsuk-u-margin-bottom-2" },
      h("summary", { class: "nhsuk-details__summary" }, h("span", { class: "nhsuk-details__summary-text" },
        "Act on this concern", h("span", { class: "nhsuk-u-visually-hidden" }, `: ${it}`))),
      h("div", { class: "nhsuk-details__text app-actions" }, ...forms));
  }

  // A blocker among others of its child, as the model's messages name it: “Funding decision” (the owning service).
  function title(b: BlockerView): string {
    return `“${b.categoryTitle}” (${b.owningServiceName})`;
  }

  // Blockers are named as the journal names them: people hear these names, never the blocker's id.
  function describe(b: BlockerView): string {
    return `the ${b.categoryTitle.toLowerCase()} blocker (${b.owningServiceName})`;
  }

  // Only what the access policy lets this person do (sent with the view); each form headed and labelled for its blocker.
  function blockerActions(b: BlockerView): HTMLElement[] {
    const it = describe(b);
    const may = b.actions;
    const forms: HTMLElement[] = [];
    if (may.canAcknowledge) {
      forms.push(actionForm({ label: `Acknowledge the escalation of ${it}`, heading: "Acknowledge the escalation", button: "Acknowledge escalation" },
        [textInput({ name: "note", label: "Note about the acknowledgement (optional)" })],
        async (v, requestId) => done(await act("AcknowledgeEscalation", { requestId, blockerId: b.id, note: v.note }), `Acknowledged the escalation of ${it}.`)));
    }
    if (may.canEscalate) {
      forms.push(actionForm({ label: `Escalate ${it}`, heading: "Escalate", button: "Escalate", warning: true },
        [textArea({ name: "reason", label: "Why escalate?", hint: "The owning service's contact for the next level sees this." })],
        async (v, requestId) => done(await act("EscalateBlocker", { requestId, blockerId: b.id, reason: v.reason }), `Escalated ${it} to level ${b.escalationLevel + 1}.`)));
    }
    if (may.canMarkInProgress) {
      forms.push(actionForm({ label: `Mark as in progress: ${it}`, heading: "Mark as in progress", button: "Mark as in progress", secondary: true }, [],
        async (_v, requestId) => done(await act("UpdateBlockerProgress", { requestId, blockerId: b.id, status: "in-progress" }), `Marked ${it} as in progress.`)));
    }
    if (may.canReassign) {
      forms.push(actionForm({ label: `Reassign ${it}`, heading: "Reassign", button: "Reassign", secondary: true },
        [serviceSelect("owningService", "New owning service", record?.services ?? [], b.owningService), textInput({ name: "namedOwner", label: "New named owner (optional)" }),
          textArea({ name: "reason", label: "Reason for reassigning" })],
        async (v, requestId) => done(await act("ReassignBlocker", { requestId, blockerId: b.id, owningService: v.owningService, namedOwner: v.namedOwner, reason: v.reason }),
          `Reassigned ${it} to ${serviceName(v.owningService)}.`)));
    }
    // Whoever may reassign a blocker may say what it starts after: filled in by renderStartsAfterForms.
    if (may.canReassign) forms.push(h("div", { "data-starts-after-slot": "" }));
    if (may.canResolve) {
      forms.push(actionForm({ label: `Resolve ${it}`, heading: "Resolve", button: "Resolve" }, [
        textInput({ name: "note", label: "How it was resolved (optional)" }),
        b.sensitive ? null : textInput({ name: "familyText", label: "News for the family (optional)", hint: "Plain language, e.g. \"The hoist has been fitted.\"" }),
      ], async (v, requestId) => done(await act("ResolveBlocker", { requestId, blockerId: b.id, note: v.note, familyText: b.sensitive ? undefined : v.familyText }), `Resolved ${it}.`)));
    }
    return forms;
  }

  // Each open card's "Starts after" choices are the other open blockers of its journey: rebuilt in place when those
  // change (one raised, closed or reassigned), without rebuilding (and flashing) the card itself.
  function renderStartsAfterForms(open: BlockerView[]): void {
    for (const b of open) {
      const slot = openBlockers.querySelector<HTMLElement>(`#${CSS.escape(`blocker-${b.id}`)} [data-starts-after-slot]`);
      if (!slot) continue;
      const peers = open.filter((o) => o.id !== b.id && o.transitionId === b.transitionId);
      const shown = JSON.stringify([peers.map((o) => [o.id, title(o)]), b.startsAfter]);
      if (slot.dataset.shown === shown) continue;
      slot.dataset.shown = shown;
      slot.replaceChildren(...(peers.length === 0 ? [] : [startsAfterForm(b, peers)]));
    }
  }

  // Each link ticked or unticked is one change, as the model records it.
  function startsAfterForm(b: BlockerView, peers: BlockerView[]): HTMLElement {
    const it = describe(b);
    return actionForm({ label: `What ${it} starts after`, heading: "Starts after", button: "Save what it starts after", secondary: true },
      [checkboxes("afterBlockerId", "Its work starts once these have closed", peers.map((o) => ({ value: o.id, text: title(o), checked: b.startsAfter.includes(o.id) })))],
      async (v, requestId) => {
        const changes = peers.filter((o) => (v[o.id] === "true") !== b.startsAfter.includes(o.id));
        let last: ActionDone | undefined;
        for (const o of changes) {
          last = await act("SetBlockerStartsAfter", { requestId: `${requestId}-${o.id}`, blockerId: b.id, afterBlockerId: o.id, startsAfter: v[o.id] === "true" });
        }
        return last ? done(last, `Saved what ${it} starts after.`) : "Nothing changed.";
      });
  }

  function serviceName(key: string | undefined): string {
    return record?.services.find((svc) => svc.key === key)?.name ?? "the service chosen";
  }

  // With no value, the first choice is "Choose…" (empty): nothing is chosen for the person without their seeing it.
  function serviceSelect(name: string, label: string, services: { key: string; name: string }[], value?: string): HTMLElement {
    const choices = services.map((svc) => ({ value: svc.key, text: svc.name }));
    return select({ name, label, value, options: value === undefined ? [{ value: "", text: "Choose…" }, ...choices] : choices });
  }

  function raiseForm(r: ChildRecord): HTMLElement {
    const defaultTarget = new Date(Date.now() + 28 * 86_400_000).toISOString().slice(0, 10);
    return actionForm({ label: "Raise a blocker", button: "Raise blocker" }, [
      select({ name: "category", label: "Category", options: [{ value: "", text: "Choose…" }, ...Object.entries(categoryTitles).map(([value, text]) => ({ value, text }))] }),
      serviceSelect("owningService", "Owning service", r.services.filter((svc) => r.actions.raiseFor.includes(svc.key))),
      textInput({ name: "namedOwner", label: "Named owner (optional)" }),
      textArea({ name: "professionalText", label: "What is in the way (for professionals)" }),
      textArea({ name: "familyText", label: "What the family is told (optional)", hint: "Plain language. Never shown if the blocker is sensitive." }),
      textInput({ name: "targetDate", label: "Target date", type: "date", value: defaultTarget, width: "nhsuk-input--width-10" }),
      checkbox("sensitive", "Sensitive (for example safeguarding): never shown to the family"),
    ], async (v: Values, requestId) => {
      const result = await act("RaiseBlocker", {
        requestId, transitionId: record?.currentTransitionId, category: v.category, owningService: v.owningService, namedOwner: v.namedOwner,
        professionalText: v.professionalText, familyText: v.familyText, targetDate: v.targetDate, sensitive: v.sensitive === "true",
      });
      return done(result, `Raised the ${(categoryTitles[v.category ?? ""] ?? "new").toLowerCase()} blocker (${serviceName(v.owningService)}).`);
    });
  }

  function stageForm(r: ChildRecord): HTMLElement {
    const current = r.transitions.find((t) => t.id === r.currentTransitionId);
    if (!current || current.isComplete) return h("p", { class: "nhsuk-body" }, "No journey in progress.");
    return actionForm({ label: "Change stage", button: "Change stage", secondary: true }, [
      h("p", { class: "nhsuk-body" }, `${current.title}: now at ${current.stageTitle}.`),
      select({ name: "stage", label: "New stage", value: current.stage, options: current.stages.map((st) => ({ value: st.key, text: st.title })) }),
      textInput({ name: "reason", label: "Reason (needed when stepping back)" }),
      current.requiresDestination
        ? select({ name: "destination", label: "Destination (when discharged)", options: [{ value: "", text: "Not discharged yet" }, ...destinations.map((d) => ({ value: d, text: words(d) }))] })
        : null,
    ], async (v, requestId) => done(await act("ChangeStage", { requestId, transitionId: current.id, stage: v.stage, reason: v.reason, destination: v.destination }),
      `Stage changed: ${current.title} is now at ${current.stages.find((st) => st.key === v.stage)?.title ?? "the stage chosen"}.`));
  }

  function renderClosed(closed: BlockerView[]): void {
    closedBlockers.replaceChildren(closed.length === 0 ? h("p", { class: "nhsuk-body" }, "None yet.") : scrolling("Closed blockers", h("table", { class: "nhsuk-table" }, h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, "Closed blockers"),
        h("thead", { class: "nhsuk-table__head" }, h("tr", {}, ...["Blocker", "Owner", "Status", "Closed", "Days open"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", { class: "nhsuk-table__body" }, ...closed.map((b) => h("tr", { class: "nhsuk-table__row" },
          h("td", { class: "nhsuk-table__cell" }, `${b.categoryTitle}: `, h("span", { class: "app-pre" }, b.professionalText)),
          h("td", { class: "nhsuk-table__cell" }, b.owningServiceName),
          h("td", { class: "nhsuk-table__cell" }, words(b.status)),
          h("td", { class: "nhsuk-table__cell" }, when(b.closedAt)),
          h("td", { class: "nhsuk-table__cell" }, String(b.ageDays))))))));
  }

  function renderAppointments(r: ChildRecord): void {
    appointments.replaceChildren(r.appointments.length === 0 ? h("p", { class: "nhsuk-body" }, "No appointments.") : scrolling("Appointments", h("table", { class: "nhsuk-table" }, h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, "Appointments"),
        h("thead", { class: "nhsuk-table__head" }, h("tr", {}, ...["When", "What", "With", "Where", "Status", "Booked by"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", { class: "nhsuk-table__body" }, ...r.appointments.map((a) => h("tr", { class: "nhsuk-table__row" },
          h("td", { class: "nhsuk-table__cell" }, `${when(a.start)} (${a.durationMinutes} min)`),
          h("td", { class: "nhsuk-table__cell" }, a.purpose),
          h("td", { class: "nhsuk-table__cell" }, a.serviceName),
          h("td", { class: "nhsuk-table__cell" }, a.place),
          h("td", { class: "nhsuk-table__cell" }, words(a.status)),
          h("td", { class: "nhsuk-table__cell" }, a.bookedBy ?? "—")))))));
  }

  async function refreshAccessLog(): Promise<void> {
    try {
      const lines = await live.invoke<AccessLogLine[]>("GetAccessLog", childId);
      const refresh = h("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button" }, "Refresh");
      refresh.addEventListener("click", () => void refreshAccessLog());
      accessLog.replaceChildren(
        scrolling("Who has viewed this record", h("table", { class: "nhsuk-table", "data-access-log": "" }, h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, "Who has viewed this record"),
          h("thead", { class: "nhsuk-table__head" }, h("tr", {}, ...["When", "Who", "Role", "What", "Through", "Allowed"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", { class: "nhsuk-table__body" }, ...lines.map((l) => h("tr", { class: "nhsuk-table__row" },
            h("td", { class: "nhsuk-table__cell" }, when(l.at)),
            h("td", { class: "nhsuk-table__cell" }, l.who),
            h("td", { class: "nhsuk-table__cell" }, l.role),
            h("td", { class: "nhsuk-table__cell" }, l.what),
            h("td", { class: "nhsuk-table__cell" }, l.through),
            h("td", { class: "nhsuk-table__cell" }, l.allowed ? "Yes" : h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, "Denied"))))))),
        refresh);
    } catch (problem) {
      viewProblem(accessLog, problem);
    }
  }

  async function refreshFamilyAccess(issued?: IssuedInvite): Promise<void> {
    try {
      const view = await live.invoke<FamilyAccessView>("GetFamilyAccess", childId);
      const overview = view.overview;
      const issue = actionForm({ label: "Issue a family invite", button: "Issue an invite code", secondary: true }, [], async () => {
        const invite = await live.invoke<IssuedInvite>("IssueInvite", childId);
        await refreshFamilyAccess(invite);
        return "";
      });
      fill(familyAccess,
        issued ? h("div", { class: "nhsuk-inset-text", "data-invite": "", tabindex: -1 },
          h("p", {}, "Give this code to the family. It works once, until ", when(issued.expiresAt), ". It is not shown again."),
          h("p", { class: "app-code", "data-invite-code": "" }, issued.code)) : null,
        issue,
        h("h3", {}, "Invites"),
        overview.invites.length === 0 ? h("p", { class: "nhsuk-body" }, "No invites yet.") : h("ul", { class: "nhsuk-list" }, ...overview.invites.map((i) => h("li", {},
          `Issued by ${i.issuedBy} ${when(i.issuedAt)}: ${words(i.status).toLowerCase()}, expires ${when(i.expiresAt)} `,
          i.status === "open" ? smallAction(`Revoke the invite issued ${when(i.issuedAt)}`, "Revoke", () => live.invoke<boolean>("RevokeInvite", childId, i.inviteId)) : null))),
        h("h3", {}, "Family members"),
        overview.members.length === 0 ? h("p", { class: "nhsuk-body" }, "Nobody has joined yet.") : h("ul", { class: "nhsuk-list" }, ...overview.members.map((m) => h("li", {},
          `${m.displayName}, joined ${when(m.joinedAt)}${m.active ? "" : " (removed)"} `,
          m.active ? smallAction(`Remove ${m.displayName}`, "Remove", () => live.invoke<boolean>("RemoveFamilyMember", childId, m.memberId)) : null))),
        ...consentSection(overview, view.consentNeeded));
      // The new code is where the person's attention goes next: at the top of the family access section.
      familyAccess.querySelector<HTMLElement>("[data-invite]")?.focus();
    } catch (problem) {
      viewProblem(familyAccess, problem);
    }
  }

  // From 16 a young person may decide whether their family sees their journey; a coordinator records what they said.
  function consentSection(overview: FamilyAccessOverview, needed: boolean): Content[] {
    const recorded = overview.consentRecordedBy
      ? `${overview.youngPersonConsent ? "Agreed" : "Withdrawn"}: recorded by ${overview.consentRecordedBy} ${when(overview.consentRecordedAt)}.`
      : "Not recorded.";
    const record = !overview.youngPersonConsent;
    return [
      h("h3", {}, "Young person's agreement"),
      h("p", { class: "nhsuk-body" }, needed
        ? "The young person is 16 or over: their family sees their journey only while the young person agrees."
        : "From their 16th birthday, the young person decides whether their family sees their journey."),
      h("p", { class: "nhsuk-body", "data-young-person-consent": overview.youngPersonConsent ? "agreed" : "not-agreed" }, recorded),
      // The accessible name starts with the visible text, so speech users can say what they see.
      smallAction(record ? "Record agreement of the young person" : "Withdraw agreement of the young person", record ? "Record agreement" : "Withdraw agreement",
        () => live.invoke<FamilyAccessView>("RecordYoungPersonConsent", childId, record)),
    ];
  }

  function smallAction(label: string, text: string, run: () => Promise<unknown>): HTMLElement {
    const button = h("button", { class: "nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0", type: "button", "aria-label": label }, text);
    // Family access changes are not kept to send later: offline, or refused, the person is told it was not done.
    button.addEventListener("click", async () => {
      if (!live.online()) {
        familyAccessProblem(`${label}: not done, because you're offline. Try again when you're back online.`);
        return;
      }
      button.disabled = true;
      try {
        await run();
      } catch (error) {
        familyAccessProblem(`${label}: not done. ${problemOf(error).message}`);
        button.disabled = false;
        return;
      }
      await refreshFamilyAccess();
    });
    return button;
  }

  function familyAccessProblem(message: string): void {
    const summary = h("div", { class: "nhsuk-error-summary", role: "alert", tabindex: -1, "aria-labelledby": "family-access-problem" },
      h("h3", { class: "nhsuk-error-summary__heading", id: "family-access-problem" }, "There is a problem"),
      h("div", { class: "nhsuk-error-summary__body" }, h("p", {}, message)));
    familyAccess.querySelector("[data-family-access-problem]")?.remove();
    summary.dataset.familyAccessProblem = "";
    familyAccess.prepend(summary);
    summary.focus();
  }

  function done(result: ActionDone, message: string): string {
    return result.alreadyDone ? "This had already been done: nothing changed." : message;
  }

  live.watch(`child:${childId}`, () => live.invoke<ChildRecord>("WatchChild", childId), show, apply, (problem) => viewProblem(root, problem));
}
