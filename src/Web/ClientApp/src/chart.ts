import { h, s, uid } from "./dom";

// A horizontal bar chart in SVG, readable by screen readers (role="img" with a title and a summary), with
// the figures behind it in a table under "Show the figures".

export interface Bar { label: string; value: number; }

const width = 640;
const labelWidth = 290;
const barHeight = 22;
const gap = 8;

function shorten(text: string, max = 36): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function barChart(title: string, unit: string, bars: Bar[]): HTMLElement {
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const top = [...bars].sort((a, b) => b.value - a.value);
  const max = Math.max(1, ...top.map((b) => b.value));
  const height = Math.max(1, top.length) * (barHeight + gap) + gap;
  const summary = top.length === 0
    ? "No delay days to show."
    : top.slice(0, 3).map((b) => `${b.label}: ${Math.round(b.value)} ${unit}`).join("; ") + (top.length > 3 ? `; and ${top.length - 3} more.` : ".");
  const svg = s("svg", { class: "app-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, focusable: "false" },
    s("title", { id: titleId }, title),
    s("desc", { id: descId }, summary),
    ...top.flatMap((bar, i) => {
      const y = gap + i * (barHeight + gap);
      const length = Math.max(2, ((width - labelWidth - 70) * bar.value) / max);
      return [
        s("text", { class: "app-chart__label", x: labelWidth - 8, y: y + barHeight * 0.72, "text-anchor": "end" }, shorten(bar.label)),
        s("rect", { class: "app-chart__bar", x: labelWidth, y, width: length, height: barHeight }),
        s("text", { class: "app-chart__value", x: labelWidth + length + 6, y: y + barHeight * 0.72 }, String(Math.round(bar.value))),
      ];
    }));
  return h("figure", { class: "nhsuk-u-margin-bottom-4" },
    h("figcaption", { class: "nhsuk-heading-s" }, title),
    svg,
    h("details", { class: "nhsuk-details" },
      h("summary", { class: "nhsuk-details__summary" }, h("span", { class: "nhsuk-details__summary-text" }, "Show the figures")),
      h("div", { class: "nhsuk-details__text" },
        h("table", { class: "nhsuk-table" },
          h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, title),
          h("thead", { class: "nhsuk-table__head" }, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col", class: "nhsuk-table__header--numeric" }, `Delay (${unit})`))),
          h("tbody", { class: "nhsuk-table__body" }, ...top.map((b) =>
            h("tr", { class: "nhsuk-table__row" }, h("td", { class: "nhsuk-table__cell" }, b.label), h("td", { class: "nhsuk-table__cell nhsuk-table__cell--numeric" }, b.value.toFixed(1)))))))));
}
