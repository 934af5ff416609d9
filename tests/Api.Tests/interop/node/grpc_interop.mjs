// An independent gRPC client for CareTwin's interop tests: Node's @grpc/grpc-js.
//
// CareTwinNodeInteropTests runs it with `node` against a Kestrel host on 127.0.0.1. The .proto
// files are loaded at run time by @grpc/proto-loader from --protos: the same files the server
// compiles (copied to the test output), with the standard health and reflection protos beside
// them. Each scenario prints one JSON object per line; the C# test asserts on them, so this
// script only reports what the client saw.
//
//   node grpc_interop.mjs SCENARIO --protos DIR --target HOST:PORT [--key K] [--child ID] ...

import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

function emit(fields) {
  process.stdout.write(JSON.stringify(fields) + "\n");
}

const codeName = (code) => grpc.status[code] ?? String(code);

function failure(error) {
  return { code: codeName(error.code), details: error.details };
}

function deadline(seconds) {
  return new Date(Date.now() + seconds * 1000);
}

// ---- loading the protos ---------------------------------------------------------------------------------

function protoFiles(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".proto")) {
      // Imports name files by their package paths ("caretwin/v1/types.proto"): load them the same way.
      found.push(relative(folder, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/"));
    }
  }
  return found.sort();
}

function load(folder) {
  const definition = protoLoader.loadSync(protoFiles(folder), {
    includeDirs: [folder],
    keepCase: true,
    enums: String,
    longs: Number,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}

// ---- caretwin.v1: the API external systems use ------------------------------------------------------------

function auth(key) {
  const metadata = new grpc.Metadata();
  if (key) metadata.add("x-api-key", key);
  return metadata;
}

function bearer(key) {
  const metadata = new grpc.Metadata();
  metadata.add("authorization", "Bearer " + key);
  return metadata;
}

/** One unary call as a promise: the reply, or the grpc-js error (code, details). */
function unary(client, method, request, metadata, seconds = 10) {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, { deadline: deadline(seconds) }, (error, reply) => (error ? reject(error) : resolve(reply))));
}

function registerRequest(child, externalId) {
  return {
    child_id: child, external_id: externalId, nhs_number: "9434765919", given_name: "Amara", family_name: "Okafor",
    date_of_birth: { year: 2021, month: 3, day: 14 }, hospital_key: "test-hospital", region_key: "test-region",
  };
}

function blockerRequest(child, externalId, args, category = "BLOCKER_CATEGORY_EQUIPMENT") {
  return {
    child_id: child, external_id: externalId, transition_id: "transition-1", category,
    owning_service: "health.ward.test-hospital", professional_text: "Home ventilator on order.",
    target_date: { year: args.year, month: 1, day: 31 },
  };
}

function clients(api, channelTarget) {
  const v1 = api.caretwin.v1;
  const credentials = grpc.credentials.createInsecure();
  // Only 127.0.0.1 is ever dialled; a proxy from the environment must not intercept it.
  const options = { "grpc.enable_http_proxy": 0 };
  return {
    journeys: new v1.Journeys(channelTarget, credentials, options),
    ingest: new v1.Ingest(channelTarget, credentials, options),
    watch: new v1.Watch(channelTarget, credentials, options),
    health: new api.grpc.health.v1.Health(channelTarget, credentials, options),
    reflection: new api.grpc.reflection.v1.ServerReflection(channelTarget, credentials, options),
    raw: new grpc.Client(channelTarget, credentials, options),
  };
}

async function caretwinUnary(c, args) {
  const child = args.child;
  const key = auth(args.key);
  const steps = [
    ["RegisterChild", () => unary(c.journeys, "RegisterChild", registerRequest(child, "reg-1"), key)],
    ["RegisterChild again", () => unary(c.journeys, "RegisterChild", registerRequest(child, "reg-1"), key)],
    ["StartTransition", () => unary(c.journeys, "StartTransition",
      { child_id: child, external_id: "start-1", kind: "TRANSITION_KIND_HOSPITAL_DISCHARGE" }, key)],
    ["RaiseBlocker", () => unary(c.journeys, "RaiseBlocker", blockerRequest(child, "blocker-1", args), key)],
  ];
  for (const [name, call] of steps) {
    const reply = await call();
    emit({ step: name, outcome: reply.outcome, version: reply.version, created_id: reply.created_id });
  }
  const journey = await unary(c.journeys, "GetJourney", { child_id: child }, bearer(args.key));
  emit({
    step: "GetJourney", version: journey.version, nhs_number: journey.child.nhs_number, stage: journey.transitions[0].stage,
    blockers: journey.blockers.map((b) => b.id), critical_path: journey.summary.critical_path_blocker_id,
  });
}

async function caretwinIngest(c, args) {
  const child = args.child;
  // Later items name what earlier ones created by this system's own external ids.
  const byRef = (request) => ({ ...request, transition_id: "", transition_ref: { external_id: "start-1" } });
  const batch = {
    items: [
      { register_child: registerRequest(child, "reg-1") },
      { start_transition: { child_id: child, external_id: "start-1", kind: "TRANSITION_KIND_HOSPITAL_DISCHARGE" } },
      { raise_blocker: byRef(blockerRequest(child, "blocker-1", args)) },
      { raise_blocker: byRef(blockerRequest(child, "blocker-bad", args, "BLOCKER_CATEGORY_UNSPECIFIED")) },
      { update_blocker: { child_id: child, external_id: "progress-1", blocker_ref: { external_id: "blocker-1" }, status: "BLOCKER_STATUS_IN_PROGRESS" } },
      { register_child: registerRequest(child, "reg-1") },
    ],
  };
  for (const attempt of ["first", "replay"]) {
    const reply = await unary(c.ingest, "Ingest", batch, auth(args.key), 30);
    emit({
      attempt, accepted: reply.accepted, duplicates: reply.duplicates, refused: reply.refused,
      results: reply.results.map((r) => [r.index, r.outcome, r.status_code, r.field, r.message, r.created_id]),
    });
  }
  const journey = await unary(c.journeys, "GetJourney", { child_id: child }, auth(args.key));
  emit({ blockers: journey.blockers.map((b) => [b.id, b.transition_id, b.status, b.source_system, b.external_id]) });
}

/** Reads a server stream to its end: calls onMessage for each message, resolves with how it ended. */
// What the family told the team and where it got to, and their figures: read, never written, by this client.
async function caretwinFamily(c, args) {
  const journey = await unary(c.journeys, "GetJourney", { child_id: args.child }, auth(args.key));
  emit({
    messages: journey.family_messages.map((m) =>
      [m.id, m.concern_status, m.answer, m.answered_by?.display_name ?? "", m.read_at !== null, m.closed_at !== null]),
  });
  const burden = journey.family_burden.last_30_days;
  const window = journey.family_cost_estimate.last_30_days;
  const travel = journey.family_travel;
  emit({
    burden: [burden.days, burden.appointments, burden.distinct_services, burden.hours, burden.did_not_attend],
    hours: window.hours, hours_worked_out: window.hours_worked_out,
    money_pence: window.money_pence?.value ?? null, money_worked_out: window.money_worked_out,
    hours_off_work: window.hours_off_work?.value ?? null,
    travel: [travel.mode, travel.travel_minutes.value, travel.cost_per_trip_pence.value, travel.parking_per_visit_pence.value],
  });
}

function readStream(call, onMessage) {
  return new Promise((resolve) => {
    let ended = false;
    const end = (fields) => {
      if (!ended) {
        ended = true;
        resolve(fields);
      }
    };
    call.on("data", (message) => onMessage(message));
    call.on("error", (error) => end({ end: codeName(error.code), details: error.details }));
    call.on("status", (status) => {
      if (status.code === grpc.status.OK) end({ end: "OK" });
    });
  });
}

async function caretwinWatch(c, args) {
  const call = c.watch.WatchChild({ child_id: args.child }, auth(args.key), { deadline: deadline(args.timeout) });
  const ending = readStream(call, (update) => {
    if (update.update === "snapshot") {
      emit({ snapshot: update.snapshot.version });
    } else {
      emit({
        change: update.change.version, kinds: update.change.entries.map((e) => e.kind),
        blockers: update.change.journey.blockers.map((b) => b.id),
      });
    }
    if (args["cancel-after-first"]) call.cancel();
  });
  emit(await ending);
}

async function caretwinErrors(c, args) {
  const child = args.child;
  const key = auth(args.key);
  const badNhs = { ...registerRequest(child + "-x", "reg-bad"), nhs_number: "9434765918" };
  const unknownTransition = { ...blockerRequest(child, "blocker-404", args), transition_id: "transition-9" };
  const huge = { ...blockerRequest(child, "blocker-huge", args), professional_text: "x".repeat(100000) };
  const tooMany = { items: Array.from({ length: args["max-items"] + 1 }, (_, i) => ({ register_child: registerRequest(`${child}-${i}`, "r") })) };
  const calls = [
    ["ABORTED", () => unary(c.journeys, "RaiseBlocker", blockerRequest(child, "blocker-conflict", args), key)],
    ["INVALID_ARGUMENT", () => unary(c.journeys, "RegisterChild", badNhs, key)],
    ["NOT_FOUND", () => unary(c.journeys, "RaiseBlocker", unknownTransition, key)],
    ["FAILED_PRECONDITION", () => unary(c.journeys, "ChangeStage",
      { child_id: child, external_id: "skip-1", transition_id: "transition-1", stage: "discharged" }, key)],
    ["PERMISSION_DENIED", () => unary(c.journeys, "ResolveBlocker",
      { child_id: child, external_id: "resolve-1", blocker_id: args.blocker }, auth(args["other-key"]))],
    ["UNAUTHENTICATED", () => unary(c.journeys, "GetJourney", { child_id: child }, new grpc.Metadata())],
    ["RESOURCE_EXHAUSTED", () => unary(c.journeys, "RaiseBlocker", huge, key)],
    ["INVALID_ARGUMENT (batch)", () => unary(c.ingest, "Ingest", tooMany, key)],
    // A method the contract does not have, sent as raw bytes (no stub can name it).
    ["UNIMPLEMENTED", () => new Promise((resolve, reject) => c.raw.makeUnaryRequest(
      "/caretwin.v1.Journeys/DeleteChild", (b) => b, (b) => b, Buffer.alloc(0), key, { deadline: deadline(10) },
      (error, reply) => (error ? reject(error) : resolve(reply))))],
  ];
  for (const [expected, call] of calls) {
    try {
      await call();
      emit({ expected, code: "OK" });
    } catch (error) {
      if (error.code === undefined) throw error;
      emit({ expected, ...failure(error) });
    }
  }
}

async function caretwinHealth(c) {
  for (const service of ["", "caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch", "caretwin.v1.Unknown"]) {
    try {
      const response = await unary(c.health, "Check", { service }, new grpc.Metadata());
      emit({ service, status: response.status });
    } catch (error) {
      if (error.code === undefined) throw error;
      emit({ service, ...failure(error) });
    }
  }
}

async function caretwinHealthWatch(c, args) {
  const call = c.health.Watch({ service: args.service }, new grpc.Metadata(), { deadline: deadline(args.timeout) });
  emit(await readStream(call, (response) => emit({ service: args.service, status: response.status })));
}

async function caretwinReflection(c) {
  const call = c.reflection.ServerReflectionInfo(new grpc.Metadata(), { deadline: deadline(10) });
  const ending = readStream(call, (response) => {
    if (response.message_response === "list_services_response") {
      emit({ services: response.list_services_response.service.map((s) => s.name) });
    } else {
      emit({ unexpected: response.message_response, error: response.error_response });
    }
  });
  call.write({ host: "", list_services: "" });
  call.end();
  emit(await ending);
}

const SCENARIOS = {
  caretwin_unary: caretwinUnary,
  caretwin_ingest: caretwinIngest,
  caretwin_family: caretwinFamily,
  caretwin_watch: caretwinWatch,
  caretwin_errors: caretwinErrors,
  caretwin_health: caretwinHealth,
  caretwin_health_watch: caretwinHealthWatch,
  caretwin_reflection: caretwinReflection,
};

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      protos: { type: "string" },
      target: { type: "string" },
      key: { type: "string", default: "" },
      "other-key": { type: "string", default: "" },
      child: { type: "string", default: "" },
      blocker: { type: "string", default: "" },
      service: { type: "string", default: "" },
      year: { type: "string", default: "2099" },
      timeout: { type: "string", default: "60" },
      "max-items": { type: "string", default: "500" },
      "cancel-after-first": { type: "boolean", default: false },
    },
  });
  const scenario = SCENARIOS[positionals[0]];
  if (positionals.length !== 1 || !scenario || !values.protos || !values.target) {
    process.stderr.write(`usage: node grpc_interop.mjs {${Object.keys(SCENARIOS).join("|")}} --protos DIR --target HOST:PORT [options]\n`);
    process.exit(2);
  }
  const args = { ...values, year: Number(values.year), timeout: Number(values.timeout), "max-items": Number(values["max-items"]) };
  const c = clients(load(values.protos), values.target);
  try {
    await scenario(c, args);
  } finally {
    for (const client of Object.values(c)) client.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
