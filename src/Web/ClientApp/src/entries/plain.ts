// Pages without a live view (sign-in, joining, problems): only the NHS.UK components.
import { startComponents } from "../shell";

startComponents();
