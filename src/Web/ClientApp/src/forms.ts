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

/**
 * A form that runs an action: `run` gets the form's values and a request id, and returns what to tell the user.
 * The request id stays the same until the action succeeds, so sending again after a lost connection is safe.
 */
export function actionForm(attributes: { label: string; button: string; secondary?: boolean; warning?: boolean }, fields: Content[],
  run: (values: Values, requestId: string) => Promise<string>): HTMLFormElement {
  const summary = h("div", { "data-form-summary": "" });
  const done = h("div", { class: "nhsuk-body-s", role: "status", "data-form-done": "" });
  const button = h("button", {
    class: `nhsuk-button ${attributes.secondary ? "nhsuk-button--secondary" : ""} ${attributes.warning ? "nhsuk-button--warning" : ""} nhsuk-u-margin-bottom-2`.trim(),
    type: "submit",
  }, attributes.button);
  const form = h("form", { novalidate: true, "aria-label": attributes.label }, summary, ...fields, button, done);
  let requestId: string | undefined;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form);
    done.textContent = "";
    requestId ??= newRequestId();
    const values: Values = {};
    new FormData(form).forEach((value, name) => { values[name] = String(value); });
    button.disabled = true;
    try {
      const message = await run(values, requestId);
      requestId = undefined;
      form.reset();
      done.textContent = message;
    } catch (error) {
      showProblem(form, problemOf(error));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function clearProblems(form: HTMLFormElement): void {
  form.querySelector("[data-form-summary]")?.replaceChildren();
  form.querySelectorAll(".nhsuk-form-group--error").forEach((g) => g.classList.remove("nhsuk-form-group--error"));
  form.querySelectorAll(".nhsuk-error-message").forEach((m) => m.remove());
  form.querySelectorAll("[data-error-for]").forEach((c) => {
    c.classList.remove("nhsuk-input--error", "nhsuk-textarea--error", "nhsuk-select--error");
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
    group.insertBefore(h("span", { class: "nhsuk-error-message", id: messageId },
      h("span", { class: "nhsuk-u-visually-hidden" }, "Error: "), problem.message), control);
    control.classList.add(control.tagName === "TEXTAREA" ? "nhsuk-textarea--error" : control.tagName === "SELECT" ? "nhsuk-select--error" : "nhsuk-input--error");
    control.setAttribute("data-error-for", "");
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
