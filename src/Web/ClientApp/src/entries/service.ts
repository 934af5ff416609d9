import { startLivePage } from "../livePage";
import { startService } from "../pages/service";

startLivePage(startService);
