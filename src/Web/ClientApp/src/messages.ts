import { h, reconcile } from "./dom";
import { problemOf } from "./forms";
import { plural } from "./format";

// What a family told the team, on the family page and the child page. The view carries only the latest messages
// (newest first) and how many are older; "Show older messages" reads them a page at a time. Once older ones are
// shown, a message that drops out of the view's latest (because a newer one came) stays shown, so the list never
// has a gap, and the count of older ones stays the one the last page gave.

export interface MessagesPage<T> { messages: T[]; olderMessages: number; }

/** How many older messages one "Show older messages" reads (the hub allows up to 50). */
export const olderPageSize = 20;

export class MessageList<T> {
  readonly element: HTMLElement;
  private readonly list = h("ul", { class: "nhsuk-list", "data-messages": "" });
  private readonly empty: HTMLElement;
  private readonly count = h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-2", "data-older-count": "" });
  private readonly button = h("button", { class: "nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2", type: "button", "data-show-older": "" }, "Show older messages");
  private readonly problem = h("p", { class: "nhsuk-error-message", role: "alert", hidden: true });
  private shown: T[] = [];
  private older = 0;
  private expanded = false;

  constructor(private readonly options: {
    id: (message: T) => string;
    item: (message: T) => HTMLElement;
    read: (before: string, count: number) => Promise<MessagesPage<T>>;
    empty: string;
  }) {
    this.empty = h("p", { class: "nhsuk-body" }, options.empty);
    this.button.addEventListener("click", () => void this.readOlder());
    this.element = h("div", {}, this.empty, this.list, this.count, this.problem, this.button);
  }

  /** The view's latest messages (newest first) and how many older ones it did not carry. */
  update(latest: T[], olderMessages: number): void {
    if (this.expanded) {
      const ids = new Set(latest.map(this.options.id));
      this.shown = [...latest, ...this.shown.filter((m) => !ids.has(this.options.id(m)))];
    } else {
      this.shown = latest;
      this.older = olderMessages;
    }
    this.render();
  }

  private async readOlder(): Promise<void> {
    const oldest = this.shown[this.shown.length - 1];
    if (!oldest) return;
    this.button.disabled = true;
    this.problem.hidden = true;
    try {
      const page = await this.options.read(this.options.id(oldest), olderPageSize);
      const ids = new Set(this.shown.map(this.options.id));
      this.expanded = true;
      this.shown = [...this.shown, ...page.messages.filter((m) => !ids.has(this.options.id(m)))];
      this.older = page.olderMessages;
      this.render();
    } catch (error) {
      this.problem.textContent = problemOf(error).message;
      this.problem.hidden = false;
    } finally {
      this.button.disabled = false;
    }
  }

  private render(): void {
    this.empty.hidden = this.shown.length > 0;
    // A message that did not change keeps its element, so an answer being typed under it survives a live update.
    reconcile(this.list, this.shown, this.options.id, (m) => {
      const item = this.options.item(m);
      item.dataset.messageId = this.options.id(m);
      return item;
    });
    this.count.textContent = this.older > 0 ? `${plural(this.older, "older message")} not shown.` : "";
    this.count.hidden = this.older === 0;
    this.button.hidden = this.older === 0;
  }
}
