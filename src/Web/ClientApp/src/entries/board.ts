import { startLivePage } from "../livePage";
import { startBoard } from "../pages/board";

startLivePage(startBoard);
