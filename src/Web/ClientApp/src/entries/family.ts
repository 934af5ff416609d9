import { startLivePage } from "../livePage";
import { startFamily } from "../pages/family";

startLivePage(startFamily);
