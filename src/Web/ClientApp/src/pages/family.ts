import { byId, fill, h } from "../dom";
import { actionForm, radios, textArea, viewProblem } from "../forms";
import { day, plural, when } from "../format";
import type { Live } from "../live";
import { MessageList } from "../messages";
import type { ActionDone, FamilyMessage, FamilyMessagesPage, FamilyView, FamilyWorkItem } from "../types";

// The family's view, phone-sized first and in plain language: where we are, what happens next, who is doing
// what (never sensitive work, never professional text: the server sends only the family projection), appointments,
// and a way to tell the team what matters or that something worries us (the latest messages, and older ones on request).

export function startFamily(live: Live): void {
  const root = byId("family-root");
  const childId = document.body.dataset.child!;
  let asOf = "";
  const view = h("div");
  const messages = new MessageList<FamilyMessage>({
    id: (m) => m.messageId,
    item: (m) => h("li", {}, h("span", { class: "app-pre" }, m.text), h("span", { class: "app-meta" }, ` — ${when(m.at)}`)),
    read: (before, count) => live.invoke<FamilyMessagesPage>("GetFamilyMessages", childId, before, count),
    empty: "Nothing yet.",
  });
  const tell = actionForm({ label: "Tell the team", button: "Send to the team" }, [
    radios("What would you like to tell the team?", "kind", [
      { value: "note", text: "Something that matters to us" },
      { value: "concern", text: "I am worried about something" },
    ]),
    textArea({ name: "text", label: "Your message", hint: "The care team reads this. For anything urgent, phone the ward.", rows: 4 }),
  ], async (values, requestId) => {
    const method = values.kind === "concern" ? "FlagConcern" : "AddFamilyNote";
    const result = await live.invoke<ActionDone>(method, childId, { requestId, text: values.text });
    return result.alreadyDone ? "We already have this message." : "Thank you. The team will see your message.";
  });

  function show(family: FamilyView): void {
    if (family.asOf < asOf) return;
    asOf = family.asOf;
    const current = family.journeys.filter((j) => !j.isComplete);
    const item = (w: FamilyWorkItem, doneList: boolean) => h("li", { class: "nhsuk-card nhsuk-u-margin-bottom-3", "data-work-item": w.blockerId },
      h("div", { class: "nhsuk-card__content" },
        h("h3", { class: "nhsuk-card__heading nhsuk-heading-s" }, w.who),
        h("p", { class: "nhsuk-body app-pre", "data-what": "" }, w.what),
        h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-0" },
          h("strong", { class: `nhsuk-tag ${doneList ? "nhsuk-tag--green" : w.progress === "Being worked on" ? "nhsuk-tag--blue" : "nhsuk-tag--grey"}` }, w.progress),
          w.namedPerson ? ` ${w.namedPerson} is looking after this.` : "",
          w.expectedBy ? ` Expected by ${day(w.expectedBy)}.` : "")));
    fill(view,
      h("h2", {}, "Where we are"),
      ...(current.length > 0 ? current : family.journeys).map((j) => h("div", { class: "nhsuk-card" }, h("div", { class: "nhsuk-card__content" },
        h("h3", { class: "nhsuk-card__heading" }, j.title),
        h("p", { class: "nhsuk-body" }, h("strong", {}, `Step ${j.stepNumber} of ${j.stepCount}: ${j.stageTitle}`)),
        h("p", { class: "nhsuk-body" }, j.stageExplanation)))),
      family.daysReadyToGoHome && family.daysReadyToGoHome > 0
        ? h("div", { class: "nhsuk-inset-text" }, h("p", {}, `${family.childName} has been well enough to go home for ${plural(family.daysReadyToGoHome, "day")}. The people below are sorting out what is needed first.`))
        : null,
      h("h2", {}, "What happens next"),
      h("ul", { class: "nhsuk-list nhsuk-list--bullet" }, ...current.flatMap((j) => j.nextSteps).map((step) => h("li", {}, step))),
      h("h2", {}, "Who is doing what"),
      family.beingSortedOut.length === 0 ? h("p", { class: "nhsuk-body" }, "Nothing is waiting on anyone at the moment.")
        : h("ul", { class: "nhsuk-list", "data-being-sorted-out": "" }, ...family.beingSortedOut.map((w) => item(w, false))),
      family.recentlyDone.length > 0 ? h("h2", {}, "Recently done") : null,
      family.recentlyDone.length > 0 ? h("ul", { class: "nhsuk-list" }, ...family.recentlyDone.map((w) => item(w, true))) : null,
      h("h2", {}, "Coming up"),
      family.upcomingAppointments.length === 0 ? h("p", { class: "nhsuk-body" }, "No appointments booked.")
        : h("ul", { class: "nhsuk-list" }, ...family.upcomingAppointments.map((a) => h("li", { class: "nhsuk-u-margin-bottom-3" },
          h("strong", {}, when(a.when)), h("br"), `${a.what} with ${a.with}, ${a.where} (${a.durationMinutes} minutes)`, a.moved ? " — this has been moved" : ""))),
      h("h2", {}, "Your last 90 days"),
      h("p", { class: "nhsuk-body" }, `${plural(family.last90Days.appointments, "appointment")} with ${plural(family.last90Days.distinctServices, "service")}, about ${plural(Math.round(family.last90Days.hours), "hour")} in total.`),
      h("h2", {}, "What you have told us"),
      messages.element);
    messages.update(family.ourMessages, family.olderMessages);
    root.dataset.loaded = "true";
  }

  root.replaceChildren(view, h("h2", {}, "Tell the team"), tell);
  live.watch(`family:${childId}`, () => live.invoke<FamilyView>("WatchFamily", childId), show, (changes) => show(changes as FamilyView), (problem) => viewProblem(root, problem));
}
