import { startLivePage } from "../livePage";
import { startChild } from "../pages/child";

startLivePage(startChild);
