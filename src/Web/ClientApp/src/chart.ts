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

// Delay days by week as stacked bars (DelayWeeksHtml.cs draws the same): one bar a week, one colour a series
// (an agency or a category) in the bars and the legend, and the figures in a table.

export interface WeekShare { label: string; week: string; days: number; }

const weekLabelWidth = 160;
const weekBarHeight = 18;
const weekGap = 6;

/** A position to two decimal places (DelayWeeksHtml writes "F2", the same digits), keeping a dozen weeks of stacked bars small. */
const at = (value: number) => value.toFixed(2);

/** To two decimal places, as the server's decimal sums are (so the two draw the same numbers). */
const cents = (value: number) => Math.round(value * 100) / 100;

/** `others` names the series the rest are put together in, past the first five (six colours tell apart; the CSV has each). */
export function weekChart(id: string, title: string, others: string, weeks: string[], shares: WeekShare[], describe: (week: string) => string, weeksShown: number): HTMLElement {
  const seriesTotals = new Map<string, number>();
  for (const share of shares) seriesTotals.set(share.label, cents((seriesTotals.get(share.label) ?? 0) + share.days));
  let series = [...seriesTotals.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([label]) => label);
  if (series.length > 6) series = [...series.slice(0, 5), others];
  const cells = new Map<string, number>();
  const cell = (label: string, week: string) => cells.get(`${label}\u0000${week}`) ?? 0;
  for (const share of shares) {
    const label = series.includes(share.label) ? share.label : others;
    cells.set(`${label}\u0000${share.week}`, cents(cell(label, share.week) + share.days));
  }
  const totals = weeks.map((week) => cents(series.reduce((sum, label) => sum + cell(label, week), 0)));
  const all = cents(totals.reduce((sum, t) => sum + t, 0));
  const most = totals.length === 0 ? 0 : Math.max(...totals);
  const max = Math.max(1, most);
  const summary = `${Math.round(all)} delay days in the last ${weeksShown} weeks` +
    (all > 0 ? `; the most in the week starting ${describe(weeks[totals.indexOf(most)]!)}: ${Math.round(most)} days.` : ".");
  const svg = s("svg", { class: "app-chart", viewBox: `0 0 ${width} ${weeks.length * (weekBarHeight + weekGap) + weekGap}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`, focusable: "false" },
    s("title", { id: `${id}-title` }, title),
    s("desc", { id: `${id}-desc` }, summary),
    ...weeks.flatMap((week, i) => {
      const y = weekGap + i * (weekBarHeight + weekGap);
      let x = weekLabelWidth;
      const parts: SVGElement[] = [s("text", { class: "app-chart__label", x: weekLabelWidth - 8, y: at(y + weekBarHeight * 0.72), "text-anchor": "end" }, describe(week))];
      series.forEach((label, k) => {
        const days = cell(label, week);
        if (days <= 0) return;
        const length = ((width - weekLabelWidth - 70) * days) / max;
        parts.push(s("rect", { class: `app-chart__series-${k % 6}`, x: at(x), y, width: at(length), height: weekBarHeight }));
        x += length;
      });
      parts.push(s("text", { class: "app-chart__value", x: at(x + 6), y: at(y + weekBarHeight * 0.72) }, String(Math.round(totals[i]!))));
      return parts;
    }));
  const numeric = (value: number) => h("td", { class: "nhsuk-table__cell nhsuk-table__cell--numeric" }, value.toFixed(2));
  return h("figure", { class: "nhsuk-u-margin-bottom-4", "data-delay-weeks-chart": "" },
    h("figcaption", { class: "nhsuk-heading-s" }, title),
    svg,
    h("ul", { class: "app-chart__legend" }, ...series.map((label, k) =>
      h("li", {}, h("span", { class: `app-chart__swatch app-chart__series-${k % 6}`, "aria-hidden": "true" }), label))),
    h("details", { class: "nhsuk-details" },
      h("summary", { class: "nhsuk-details__summary" }, h("span", { class: "nhsuk-details__summary-text" }, "Show the figures")),
      h("div", { class: "nhsuk-details__text app-table-wrap" },
        h("table", { class: "nhsuk-table" },
          h("caption", { class: "nhsuk-table__caption nhsuk-u-visually-hidden" }, `${title} (days)`),
          h("thead", { class: "nhsuk-table__head" }, h("tr", {}, h("th", { scope: "col" }, "Week starting"),
            ...series.map((label) => h("th", { scope: "col", class: "nhsuk-table__header--numeric" }, label)),
            h("th", { scope: "col", class: "nhsuk-table__header--numeric" }, "Total"))),
          h("tbody", { class: "nhsuk-table__body" }, ...weeks.map((week, i) =>
            h("tr", { class: "nhsuk-table__row" }, h("th", { scope: "row", class: "nhsuk-table__cell" }, describe(week)),
              ...series.map((label) => numeric(cell(label, week))), numeric(totals[i]!))))))));
}
