import { h, uid, type Content } from "./dom";

// Action forms: NHS-styled fields, one request id per submission (sent again on a retry, so a change is never
// made twice), and a refusal shown against the field it names ("reason: reason is required.").

/** `tryAgain`: a node of the cluster was leaving (the hub's HubCallLog.TryAgain); the same call works in a moment. */
export interface Problem { field?: string; message: string; tryAgain?: boolean; }

/** The hub error's own message, split into the field it names and what is wrong. */
export function problemOf(error: unknown): Problem {
  const raw = error instanceof Error ? error.message : String(error);
  const marker = raw.indexOf("HubException: ");
  const message = marker >= 0 ? raw.slice(marker + "HubException: ".length) : raw;
  const named = /^([A-Za-z][\w.[\]-]*): ([\s\S]*)$/.exec(message);
  if (named?.[1] === "try-again") return { message: named[2]!, tryAgain: true };
  return named ? { field: named[1]!, message: named[2]! } : { message };
}

function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export type Values = Record<string, string>;

export interface Field { name: string; label: string; hint?: string; }

export function textInput(field: Field & { type?: string; value?: string; width?: string }): HTMLElement {
  const id = uid(field.name);
  return group(field, id, h("input", {
    class: `nhsuk-input ${field.width ?? ""}`.trim(), id, name: field.name, type: field.type ?? "text", value: field.value, autocomplete: "off",
    "aria-describedby": field.hint ? `${id}-hint` : undefined,
  }));
}

export function textArea(field: Field & { rows?: number }): HTMLElement {
  const id = uid(field.name);
  return group(field, id, h("textarea", { class: "nhsuk-textarea", id, name: field.name, rows: field.rows ?? 3, "aria-describedby": field.hint ? `${id}-hint` : undefined }));
}

export function select(field: Field & { options: { value: string; text: string }[]; value?: string }): HTMLElement {
  const id = uid(field.name);
  return group(field, id, h("select", { class: "nhsuk-select", id, name: field.name },
    ...field.options.map((o) => h("option", { value: o.value, selected: o.value === field.value }, o.text))));
}

export function checkbox(name: string, label: string): HTMLElement {
  const id = uid(name);
  return h("div", { class: "nhsuk-form-group" },
    h("div", { class: "nhsuk-checkboxes" },
      h("div", { class: "nhsuk-checkboxes__item" },
        h("input", { class: "nhsuk-checkboxes__input", id, name, type: "checkbox", value: "true" }),
        h("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: id }, label))));
}

/** A group of checkboxes, one per choice, each sent as its value's name with "true" when ticked; refusals about the group show above them. */
export function checkboxes(name: string, legend: string, choices: { value: string; text: string; checked: boolean }[]): HTMLElement {
  return h("div", { class: "nhsuk-form-group", "data-field": name },
    h("fieldset", { class: "nhsuk-fieldset" },
      h("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s" }, legend),
      h("div", { class: "nhsuk-checkboxes" }, ...choices.map((c) => {
        const id = uid(name);
        return h("div", { class: "nhsuk-checkboxes__item" },
          h("input", { class: "nhsuk-checkboxes__input", id, name: c.value, type: "checkbox", value: "true", checked: c.checked }),
          h("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: id }, c.text));
      }))));
}

export function radios(legend: string, name: string, options: { value: string; text: string }[]): HTMLElement {
  return h("div", { class: "nhsuk-form-group" },
    h("fieldset", { class: "nhsuk-fieldset" },
      h("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s" }, legend),
      h("div", { class: "nhsuk-radios" }, ...options.map((o, i) => {
        const id = uid(name);
        return h("div", { class: "nhsuk-radios__item" },
          h("input", { class: "nhsuk-radios__input", id, name, type: "radio", value: o.value, checked: i === 0 }),
          h("label", { class: "nhsuk-label nhsuk-radios__label", for: id }, o.text));
      }))));
}

function group(field: Field, id: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "nhsuk-form-group", "data-field": field.name },
    h("label", { class: "nhsuk-label", for: id }, field.label),
    field.hint ? h("div", { class: "nhsuk-hint", id: `${id}-hint` }, field.hint) : null,
    control);
}

/** Where a page's actions tell the person what happened: above the page's content, so it outlives any card. */
export interface Connection { online(): boolean; onOnline(then: () => void): void; }

/** `send` gives what to tell the user when done, "" when refused (shown at the form), undefined when it could not be sent. */
interface Queued { label: string; send: () => Promise<string | undefined>; cancelled: () => void; }

/**
 * The page's messages about its actions: a success banner (NHS notification banner) that focus moves to, and the
 * changes made while offline, shown as "Not sent yet" with a way to cancel each, sent in order once back online.
 * Both sit at the top of the page's content, outside the cards an action rebuilds or removes.
 */
export class PageActions {
  readonly element: HTMLElement;
  private readonly banner = h("div", { "data-action-banner": "" });
  private readonly outbox = h("div", { "data-outbox": "" });
  private readonly queue: Queued[] = [];
  private sending = false;

  constructor(private readonly connection: Connection) {
    this.element = h("div", {}, this.banner, this.outbox);
    connection.onOnline(() => void this.flush());
    current = this;
  }

  online(): boolean {
    return this.connection.online();
  }

  /** What was done, as an NHS success banner; focus moves to it so it is read out and found again. */
  confirm(messages: string[]): void {
    if (messages.length === 0) return;
    const banner = h("div", {
      class: "nhsuk-notification-banner nhsuk-notification-banner--success", role: "alert", tabindex: -1,
      "aria-labelledby": "action-banner-title", "data-module": "nhsuk-notification-banner", "data-confirmation": "",
    },
    h("div", { class: "nhsuk-notification-banner__header" }, h("h2", { class: "nhsuk-notification-banner__title", id: "action-banner-title" }, "Success")),
    h("div", { class: "nhsuk-notification-banner__content" },
      messages.length === 1
        ? h("p", { class: "nhsuk-notification-banner__heading" }, messages[0]!)
        : h("ul", { class: "nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0" }, ...messages.map((m) => h("li", { class: "nhsuk-notification-banner__heading" }, m)))));
    this.banner.replaceChildren(banner);
    banner.focus();
  }

  /** A refusal of a change whose form is gone (its card was rebuilt or removed while it waited to be sent). */
  refused(label: string, problem: Problem): void {
    const summary = h("div", { class: "nhsuk-error-summary", role: "alert", tabindex: -1, "aria-labelledby": "action-problem-title" },
      h("h2", { class: "nhsuk-error-summary__heading", id: "action-problem-title" }, "There is a problem"),
      h("div", { class: "nhsuk-error-summary__body" }, h("p", {}, `${label}: not done. ${problem.message}`)));
    this.banner.replaceChildren(summary);
    summary.focus();
  }

  /** Keeps a change to send once back online, and shows it, with a way to cancel it. */
  enqueue(item: Queued): void {
    this.queue.push(item);
    this.renderOutbox();
    this.outbox.querySelector<HTMLElement>("[data-not-sent]")?.focus();
  }

  private cancel(item: Queued): void {
    const index = this.queue.indexOf(item);
    if (index < 0) return;
    this.queue.splice(index, 1);
    item.cancelled();
    this.renderOutbox(`Cancelled: ${item.label}. Nothing was sent.`);
  }

  /** Sends what waited, in the order it was made; stops (keeping the rest) if the connection goes again. */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    const done: string[] = [];
    try {
      while (this.queue.length > 0 && this.online()) {
        const item = this.queue[0]!;
        this.renderOutbox();
        const message = await item.send();
        if (message === undefined) break;
        this.queue.shift();
        if (message) done.push(message);
      }
    } finally {
      this.sending = false;
      this.renderOutbox();
      this.confirm(done);
    }
  }

  private renderOutbox(note?: string): void {
    const noteLine = note ? h("p", { class: "nhsuk-body", role: "status", tabindex: -1, "data-outbox-note": "" }, note) : null;
    if (this.queue.length === 0) {
      this.outbox.replaceChildren(...(noteLine ? [noteLine] : []));
      noteLine?.focus();
      return;
    }
    this.outbox.replaceChildren(h("div", {
      class: "nhsuk-notification-banner", role: "region", tabindex: -1, "aria-labelledby": "outbox-title", "data-not-sent": "",
    },
    h("div", { class: "nhsuk-notification-banner__header" }, h("h2", { class: "nhsuk-notification-banner__title", id: "outbox-title" }, "Not sent yet")),
    h("div", { class: "nhsuk-notification-banner__content" },
      h("p", { class: "nhsuk-notification-banner__heading" }, "Not sent yet — will send when you're back online"),
      h("ul", { class: "nhsuk-list" }, ...this.queue.map((item) => {
        const cancel = h("button", { class: "nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0 nhsuk-u-margin-left-2", type: "button", "aria-label": `Cancel: ${item.label}` }, "Cancel");
        cancel.addEventListener("click", () => this.cancel(item));
        return h("li", { "data-queued": "" }, h("span", {}, item.label), " ", cancel);
      })))), ...(noteLine ? [noteLine] : []));
    noteLine?.focus();
  }
}

let current: PageActions | undefined;

/**
 * A form that runs an action: `run` gets the form's values and a request id, and returns what to tell the user,
 * which the page shows as a success banner at its top (it outlives the form's card). The request id stays the
 * same until the action succeeds, so sending again after a lost connection is safe. Offline, the change is kept
 * and shown as not sent yet, with a way to cancel it, and sent when the page is back online: never silently.
 */
export function actionForm(attributes: { label: string; heading?: string; button: string; secondary?: boolean; warning?: boolean }, fields: Content[],
  run: (values: Values, requestId: string) => Promise<string>): HTMLFormElement {
  const summary = h("div", { "data-form-summary": "" });
  const status = h("p", { class: "nhsuk-body-s", role: "status", "data-form-done": "" });
  const button = h("button", {
    class: `nhsuk-button ${attributes.secondary ? "nhsuk-button--secondary" : ""} ${attributes.warning ? "nhsuk-button--warning" : ""} nhsuk-u-margin-bottom-2`.trim(),
    type: "submit",
  }, attributes.button);
  const form = h("form", { novalidate: true, "aria-label": attributes.label },
    attributes.heading ? h("h4", { class: "nhsuk-heading-xs nhsuk-u-margin-bottom-2" }, attributes.heading) : null,
    summary, ...fields, button, status);
  let requestId: string | undefined;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearProblems(form);
    status.textContent = "";
    const id = requestId ??= newRequestId();
    const values: Values = {};
    new FormData(form).forEach((value, name) => { values[name] = String(value); });
    const page = current;
    // What to tell the user when done, "" when refused (shown at the form), undefined when it could not be sent.
    const sendOnce = async (): Promise<string | undefined> => {
      button.disabled = true;
      try {
        const message = await run(values, id);
        if (requestId === id) {
          requestId = undefined;
          form.reset();
        }
        status.textContent = "";
        return message;
      } catch (error) {
        if (page && !page.online() && !isRefusal(error)) return undefined;
        const problem = problemOf(error);
        status.textContent = "";
        if (form.isConnected || !page) showProblem(form, problem);
        else page.refused(attributes.label, problem);
        return "";
      } finally {
        button.disabled = false;
      }
    };
    const queue = () => {
      status.textContent = "Not sent yet — will send when you're back online.";
      button.disabled = true;
      page!.enqueue({
        label: attributes.label,
        send: async () => {
          const message = await sendOnce();
          if (message === undefined) button.disabled = true;
          return message;
        },
        cancelled: () => {
          status.textContent = "Cancelled: not sent.";
          button.disabled = false;
        },
      });
    };
    if (page && !page.online()) {
      queue();
      return;
    }
    void sendOnce().then((message) => {
      if (message === undefined) queue();
      else if (message && page) page.confirm([message]);
      else if (message) status.textContent = message;
    });
  });
  return form;
}

/** An answer from the hub (a refusal), as opposed to the connection failing before one came. */
function isRefusal(error: unknown): boolean {
  return (error instanceof Error ? error.message : String(error)).includes("HubException");
}

function clearProblems(form: HTMLFormElement): void {
  form.querySelector("[data-form-summary]")?.replaceChildren();
  form.querySelectorAll(".nhsuk-form-group--error").forEach((g) => g.classList.remove("nhsuk-form-group--error"));
  form.querySelectorAll(".nhsuk-error-message").forEach((m) => m.remove());
  form.querySelectorAll("[data-error-for]").forEach((c) => {
    c.classList.remove("nhsuk-input--error", "nhsuk-textarea--error", "nhsuk-select--error");
    const describedBy = (c.getAttribute("aria-describedby") ?? "").split(" ").filter((d) => d && !d.endsWith("-error")).join(" ");
    if (describedBy) c.setAttribute("aria-describedby", describedBy); else c.removeAttribute("aria-describedby");
    c.removeAttribute("data-error-for");
  });
}

/** An NHS error summary at the top of the form, linked to the field the refusal names when the form has it. */
export function showProblem(form: HTMLFormElement, problem: Problem): void {
  const group = problem.field ? form.querySelector<HTMLElement>(`[data-field="${CSS.escape(problem.field)}"]`) : null;
  const control = group?.querySelector<HTMLElement>("input, textarea, select") ?? null;
  const text = problem.field && !control ? `${problem.field}: ${problem.message}` : problem.message;
  if (group && control) {
    group.classList.add("nhsuk-form-group--error");
    const messageId = `${control.id}-error`;
    // A group of checkboxes has its message above them all.
    const anchor = control.closest(".nhsuk-checkboxes") ?? control;
    anchor.parentElement!.insertBefore(h("span", { class: "nhsuk-error-message", id: messageId },
      h("span", { class: "nhsuk-u-visually-hidden" }, "Error: "), problem.message), anchor);
    control.classList.add(control.tagName === "TEXTAREA" ? "nhsuk-textarea--error" : control.tagName === "SELECT" ? "nhsuk-select--error" : "nhsuk-input--error");
    control.setAttribute("data-error-for", "");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), messageId].filter(Boolean).join(" "));
  }
  const summary = h("div", { class: "nhsuk-error-summary", role: "alert", tabindex: -1 },
    h("h2", { class: "nhsuk-error-summary__heading" }, "There is a problem"),
    h("div", { class: "nhsuk-error-summary__body" },
      h("ul", { class: "nhsuk-list nhsuk-error-summary__list" },
        h("li", {}, control ? h("a", { href: `#${control.id}` }, text) : text))));
  form.querySelector("[data-form-summary]")?.replaceChildren(summary);
  summary.focus();
}

/** A problem reading a whole view (e.g. access ended), shown in place of the view. */
export function viewProblem(root: HTMLElement, error: unknown): void {
  root.replaceChildren(h("div", { class: "nhsuk-error-summary", role: "alert" },
    h("h2", { class: "nhsuk-error-summary__heading" }, "This page cannot be shown"),
    h("div", { class: "nhsuk-error-summary__body" }, h("p", {}, problemOf(error).message))));
}
