import { startLivePage } from "../livePage";
import { startMeeting } from "../pages/meeting";

startLivePage(startMeeting);
