import { byId } from "../dom";
import { viewProblem } from "../forms";
import type { Live } from "../live";
import type { MeetingLiveView } from "../types";

// An MDT meeting arrives whole from the server (readable, and run, without JavaScript). This keeps it current for
// everyone attending with the server's HTML of each change, shaped for this reader by the server. Those attending
// get the whole live part; the chair's page keeps its forms (and anything typed in them) and takes in each child's
// agreed actions and the attendees.

export function startMeeting(live: Live): void {
  const root = byId("meeting-root");
  const meetingId = document.body.dataset.meeting!;
  const topic = document.body.dataset.meetingTopic ?? `meeting:${meetingId}`;

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
    }
    root.dataset.loaded = "true";
  }

  live.watch(topic, () => live.invoke<MeetingLiveView>("WatchMeeting", meetingId), show, (changes) => show(changes as MeetingLiveView), (problem) => viewProblem(root, problem));
}
