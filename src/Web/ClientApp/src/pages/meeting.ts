import { byId } from "../dom";
import { viewProblem } from "../forms";
import type { Live } from "../live";
import type { MeetingLiveView } from "../types";

// An MDT meeting arrives whole from the server (readable, and run, without JavaScript). This keeps it current for
// everyone attending with the server's HTML of each change, shaped for this reader by the server. Those attending
// get the whole live part; the chair's page keeps its forms (and anything typed in them) and takes in each child's
// agreed actions and the attendees. When another coordinator reorders the agenda or adds a child, the chair's page
// follows: its own cards move into the new order (forms and all), and an added child's card, with the chair's forms
// for it, comes from the page as the server now serves it to this reader.

export function startMeeting(live: Live): void {
  const root = byId("meeting-root");
  const meetingId = document.body.dataset.meeting!;
  const topic = document.body.dataset.meetingTopic ?? `meeting:${meetingId}`;
  let following = 0;

  const order = (within: ParentNode): string[] =>
    [...within.querySelectorAll<HTMLElement>("[data-agenda-item]")].map((item) => item.dataset.agendaItem!);

  function show(view: MeetingLiveView): void {
    if (root.hasAttribute("data-live-whole")) {
      root.innerHTML = view.html;
    } else {
      const fresh = document.createElement("template");
      fresh.innerHTML = view.html;
      for (const part of fresh.content.querySelectorAll<HTMLElement>("[data-actions-for], [data-attendees], [data-facts]")) {
        const item = part.closest<HTMLElement>("[data-agenda-item]")?.dataset.agendaItem;
        const selector = part.hasAttribute("data-actions-for") ? `[data-actions-for="${CSS.escape(part.dataset.actionsFor!)}"]`
          : part.hasAttribute("data-attendees") ? "[data-attendees]"
          : `[data-agenda-item="${CSS.escape(item ?? "")}"] [data-facts]`;
        root.querySelector(selector)?.replaceWith(part);
      }
      // Offline for a moment: the page keeps its order until the next change (or the reconnect's fresh view) tries again.
      if (order(fresh.content).join("\n") !== order(root).join("\n")) followAgenda().catch(() => undefined);
    }
    root.dataset.loaded = "true";
  }

  // The chair's forms carry this reader's anti-forgery token and each child's place, which only the server's page
  // has: read it once more and take the agenda's order, new cards and move buttons from it.
  async function followAgenda(): Promise<void> {
    const asked = ++following;
    const response = await fetch(location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok || asked !== following) return;
    const served = new DOMParser().parseFromString(await response.text(), "text/html");
    const list = root.querySelector<HTMLElement>("[data-agenda]");
    const servedRoot = served.getElementById("meeting-root");
    if (!list || !servedRoot || asked !== following) return;
    for (const servedItem of servedRoot.querySelectorAll<HTMLElement>("[data-agenda-item]")) {
      const mine = list.querySelector<HTMLElement>(`:scope > [data-agenda-item="${CSS.escape(servedItem.dataset.agendaItem!)}"]`);
      if (!mine) {
        list.append(document.importNode(servedItem, true));
        continue;
      }
      // Its place changed, so do its move buttons; whatever the chair typed in its action form stays.
      const move = servedItem.querySelector(".app-agenda__move");
      const oldMove = mine.querySelector(".app-agenda__move");
      if (oldMove) oldMove.remove();
      if (move) mine.querySelector("details")?.before(document.importNode(move, true));
      list.append(mine);
    }
    root.querySelector("[data-empty-agenda]")?.remove();
    // Who can still be added: not a child already on the agenda.
    const addable = served.getElementById("childId");
    if (addable) document.getElementById("childId")?.replaceWith(document.importNode(addable, true));
    root.dataset.agendaFollowed = String(asked);
  }

  live.watch(topic, () => live.invoke<MeetingLiveView>("WatchMeeting", meetingId), show, (changes) => show(changes as MeetingLiveView), (problem) => viewProblem(root, problem));
}
