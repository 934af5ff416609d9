import { Live } from "./live";
import { startComponents } from "./shell";

// A page with a live view: the components, then the page's view kept current over one hub connection.
export function startLivePage(page: (live: Live) => void): void {
  startComponents();
  const live = new Live();
  page(live);
  void live.start();
}
