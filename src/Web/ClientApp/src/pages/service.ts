import { byId, h, reconcile, scrolling } from "../dom";
import { actionForm, PageActions, textInput, viewProblem } from "../forms";
import { categoryTitle, day, slaClock, when, words } from "../format";
import type { Live } from "../live";
import type { ActionDone, OwnedBlocker, ServiceChanges, ServiceMeetingsLiveView, ServiceView, SlaPerformance } from "../types";

// The agency view: the blockers this service owns with their SLA clocks, and the escalations waiting for the
// service to acknowledge them. Each change to one child's blockers replaces that child's rows.

export function startService(live: Live): void {
  const root = byId("service-root");
  const serviceKey = document.body.dataset.service!;
  const byChild = new Map<string, OwnedBlocker[]>();
  const versions = new Map<string, number>();
  let performance: SlaPerformance | undefined;
  const figures = h("div", { class: "app-figures" });
  const escalations = h("div", { "data-escalations": "" });
  const blockers = h("div", { "data-service-blockers": "" });
  const actions = new PageActions(live);

  const isActive = (b: OwnedBlocker) => b.status === "open" || b.status === "in-progress";

  function show(view: ServiceView): void {
    byChild.clear();
    versions.clear();
    for (const blocker of view.activeBlockers) byChild.set(blocker.childId, [...(byChild.get(blocker.childId) ?? []), blocker]);
    performance = view.performance;
    const heading = document.getElementById("page-heading");
    if (heading) heading.textContent = view.name;
    root.replaceChildren(actions.element, figures, h("h2", {}, "Escalations awaiting acknowledgement"), escalations, h("h2", {}, "Blockers we own"), blockers);
    render();
    root.dataset.loaded = "true";
  }

  function apply(changes: unknown): void {
    const batch = changes as ServiceChanges;
    for (const child of batch.children) {
      if ((versions.get(child.childId) ?? -1) > child.childVersion) continue;
      versions.set(child.childId, child.childVersion);
      byChild.set(child.childId, child.blockers.filter(isActive));
    }
    performance = batch.performance;
    render();
  }

  function render(): void {
    const active = [...byChild.values()].flat().sort((a, b) => a.slaDueDate.localeCompare(b.slaDueDate) || a.childId.localeCompare(b.childId));
    const waiting = active.filter((b) => b.pendingEscalation).sort((a, b) => a.pendingEscalation!.acknowledgeBy.localeCompare(b.pendingEscalation!.acknowledgeBy));
    const breached = active.filter((b) => slaClock(b.slaDueDate).breached).length;
    const figure = (value: string | number, label: string) => h("div", { class: "app-figure" }, h("span", { class: "app-figure__value" }, String(value)), label);
    figures.replaceChildren(
      figure(active.length, "open blockers"),
      figure(breached, "past their SLA"),
      figure(waiting.length, "escalations to acknowledge"),
      figure(performance?.percentWithinSla !== undefined ? `${performance.percentWithinSla}%` : "—", "within SLA (all time)"));

    if (waiting.length === 0) escalations.replaceChildren(h("p", { class: "nhsuk-body", "data-no-escalations": "" }, "No escalations are waiting for you."));
    else reconcile(escalations, waiting, (b) => `${b.childId}/${b.blockerId}/${b.pendingEscalation!.level}`, escalationCard);

    blockers.replaceChildren(active.length === 0 ? h("p", { class: "nhsuk-body" }, "No open blockers.") :
      scrolling("Blockers we own", h("table", { class: "nhsuk-table" },
        h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, "Blockers we own"),
        h("thead", { class: "nhsuk-table__head" }, h("tr", {}, ...["Child", "Blocker", "Status", "Owner", "Raised", "Target", "SLA clock", "Escalation"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", { class: "nhsuk-table__body" }, ...active.map((b) => {
          const sla = slaClock(b.slaDueDate);
          return h("tr", { class: "nhsuk-table__row", "data-blocker": `${b.childId}/${b.blockerId}` },
            h("td", { class: "nhsuk-table__cell" }, h("a", { href: `/children/${encodeURIComponent(b.childId)}` }, b.childName)),
            h("td", { class: "nhsuk-table__cell" }, h("strong", {}, categoryTitle(b.category)), b.sensitive ? " (sensitive)" : "", h("br"), h("span", { class: "app-pre" }, b.professionalText)),
            h("td", { class: "nhsuk-table__cell" }, words(b.status)),
            h("td", { class: "nhsuk-table__cell" }, b.namedOwner ?? "—"),
            h("td", { class: "nhsuk-table__cell" }, when(b.raisedAt)),
            h("td", { class: "nhsuk-table__cell" }, day(b.targetDate)),
            h("td", { class: "nhsuk-table__cell" }, `Due ${day(b.slaDueDate)}: `, sla.breached ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, sla.text) : sla.text),
            h("td", { class: "nhsuk-table__cell" }, b.escalationLevel > 0 ? `Level ${b.escalationLevel}` : "None"));
        })))));
  }

  // Each card names its child (linked to their record) and its blocker, so two cards for one child differ, and the
  // acknowledgement's confirmation is shown above the page (the card itself goes once acknowledged).
  function escalationCard(b: OwnedBlocker): HTMLElement {
    const e = b.pendingEscalation!;
    const overdue = e.acknowledgeBy < new Date().toISOString();
    const text = b.professionalText.length > 60 ? `${b.professionalText.slice(0, 59).trimEnd()}…` : b.professionalText;
    const it = `the level ${e.level} escalation for ${b.childName}: ${categoryTitle(b.category).toLowerCase()} blocker, “${text}”`;
    return h("div", { class: "nhsuk-card", "data-escalation": `${b.childId}/${b.blockerId}` },
      h("div", { class: "nhsuk-card__content" },
        h("h3", { class: "nhsuk-card__heading" }, `Level ${e.level}: `,
          h("a", { href: `/children/${encodeURIComponent(b.childId)}#blocker-${encodeURIComponent(b.blockerId)}`, "data-child-link": "" }, b.childName),
          `, ${categoryTitle(b.category)}`),
        h("p", { class: "nhsuk-body-s" }, `Raised ${when(b.raisedAt)}.`),
        h("p", { class: "nhsuk-body app-pre" }, e.reason),
        h("p", { class: "nhsuk-body-s" }, `To ${e.contact.name} (${e.contact.role}). Acknowledge by ${when(e.acknowledgeBy)}. `,
          overdue ? h("strong", { class: "nhsuk-tag nhsuk-tag--red" }, "Overdue") : null),
        h("p", { class: "nhsuk-body-s app-pre" }, b.professionalText),
        actionForm({ label: `Acknowledge ${it}`, button: "Acknowledge" }, [textInput({ name: "note", label: "Note about the acknowledgement (optional)" })],
          async (v, requestId) => {
            const result = await live.invoke<ActionDone>("AcknowledgeEscalation", b.childId, { requestId, blockerId: b.blockerId, note: v.note });
            return result.alreadyDone ? `This had already been acknowledged: ${it}.` : `Acknowledged ${it}.`;
          })));
  }

  live.watch(`service:${serviceKey}`, () => live.invoke<ServiceView>("WatchService", serviceKey), show, apply, (problem) => viewProblem(root, problem));

  // The actions MDT meetings gave this service: the server's HTML of the list, swapped in as each is agreed.
  const agreed = document.getElementById("mdt-actions-root");
  if (agreed) {
    // Not marked loaded: the page is ready when its blockers are (one live view per page is "loaded").
    const showAgreed = (view: ServiceMeetingsLiveView) => { agreed.innerHTML = view.html; };
    live.watch(document.body.dataset.serviceMeetingsTopic ?? `service-meetings:${serviceKey}`, () => live.invoke<ServiceMeetingsLiveView>("WatchServiceMeetings", serviceKey),
      showAgreed, (changes) => showAgreed(changes as ServiceMeetingsLiveView), (problem) => viewProblem(agreed, problem));
  }
}
