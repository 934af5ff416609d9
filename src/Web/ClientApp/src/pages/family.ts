import { byId } from "../dom";
import { viewProblem } from "../forms";
import type { Live } from "../live";
import type { FamilyLiveView } from "../types";

// The family's page arrives whole from the server (readable without JavaScript); this keeps its journey current
// by swapping in the server's HTML of each new view. The HTML is rendered and encoded by the server, from the
// family projection only.

export function startFamily(live: Live): void {
  const root = byId("family-root");
  const childId = document.body.dataset.child!;
  let asOf = "";

  function show(family: FamilyLiveView): void {
    if (family.asOf < asOf) return;
    asOf = family.asOf;
    root.innerHTML = family.html;
    root.dataset.loaded = "true";
  }

  live.watch(`family:${childId}`, () => live.invoke<FamilyLiveView>("WatchFamily", childId), show, (changes) => show(changes as FamilyLiveView), (problem) => viewProblem(root, problem));
}
