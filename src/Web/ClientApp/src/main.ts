import { initAll } from "nhsuk-frontend";
import { Live } from "./live";
import { startBoard } from "./pages/board";
import { startChild } from "./pages/child";
import { startFamily } from "./pages/family";
import { startService } from "./pages/service";

// One bundle for every page: the server-rendered shell names its page module in <body data-page>.
document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
// A confirmation the server rendered after a form was posted takes the focus, so it is seen and read out first.
document.querySelector<HTMLElement>("[data-confirmation]")?.focus();

const pages: Record<string, (live: Live) => void> = { board: startBoard, child: startChild, service: startService, family: startFamily };
const start = pages[document.body.dataset.page ?? ""];
if (start) {
  const live = new Live();
  start(live);
  void live.start();
}
