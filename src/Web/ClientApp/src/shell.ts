import { initButtons, initCheckboxes, initErrorSummary, initHeader, initNotificationBanners, initRadios, initSkipLinks } from "nhsuk-frontend";

// What every page does: NHS.UK frontend's behaviour for the components CareTwin uses (only those, so a page
// downloads no more than it needs) and a server-rendered confirmation taking the focus.
export function startComponents(): void {
  document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
  for (const init of [initHeader, initSkipLinks, initButtons, initRadios, initCheckboxes, initErrorSummary, initNotificationBanners]) init();
  // A confirmation the server rendered after a form was posted takes the focus, so it is seen and read out first.
  document.querySelector<HTMLElement>("[data-confirmation]")?.focus();
}
