// Simulated coordinators' boards for bench/LivePush: N @microsoft/signalr clients (the browser app's own client
// library, from src/Web/ClientApp/node_modules) on one signed-in cookie session, each watching the same board as the
// page does (WatchBoard), recording when each (child, version) arrives in a `changes` batch.
// Driven over stdin/stdout by the C# driver:
//   node board-clients.mjs <site> <board key> <clients> <client app dir>   (the session's Cookie header in CARETWIN_COOKIE)
//   stdout "connected <n>"            once every client has its board
//   stdin  "start"                    the stream starts: CPU time counts from here
//   stdin  "sent <file>"              the driver's sends (childId \t version \t sent \t replied, epoch ms) are in <file>
//   stdout "result <json>"            latencies over every client and change, then the clients close and it exits
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";

const [site, boardKey, count, clientApp] = process.argv.slice(2);
const clients = Number(count);
const signalR = createRequire(`${clientApp}/package.json`)("@microsoft/signalr");
const now = () => performance.timeOrigin + performance.now();
const origin = new URL(site).origin;

// arrivals: "child\u0000version" -> arrival time (epoch ms) at each client (NaN until it arrives)
const arrivals = new Map();
let batches = 0, resyncs = 0, closed = 0;
function arrived(client, batch) {
  const t = now();
  batches++;
  if (batch.resync) { resyncs++; return; }
  for (const change of batch.changes.rows) {
    const key = `${change.childId}\u0000${change.childVersion}`;
    let times = arrivals.get(key);
    if (!times) arrivals.set(key, times = new Float64Array(clients).fill(NaN));
    if (Number.isNaN(times[client])) times[client] = t;
  }
}

const connections = [];
for (let i = 0; i < clients; i++) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL("/hubs/journey", site).toString(), {
      transport: signalR.HttpTransportType.WebSockets,
      headers: { Cookie: process.env.CARETWIN_COOKIE, Origin: origin },
    })
    .configureLogging(signalR.LogLevel.Error)
    .build();
  connection.on("changes", (batch) => arrived(i, batch));
  connection.on("accessEnded", () => { closed++; });
  connection.onclose(() => { closed++; });
  await connection.start();
  await connection.invoke("WatchBoard", boardKey);
  connections.push(connection);
}
console.log(`connected ${connections.length}`);

let cpuAtStart = process.cpuUsage(), startedAt = now();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "start") {
    cpuAtStart = process.cpuUsage();
    startedAt = now();
  } else if (line.startsWith("sent ")) {
    const cpu = process.cpuUsage(cpuAtStart);
    const seconds = (now() - startedAt) / 1000;
    const histogram = new Map(); // tenths of a millisecond -> how many: processes' results add up
    const afterReply = new Map(); // the same from the driver having the durable reply
    let arrivedCount = 0;
    let expected = 0, missing = 0, changes = 0;
    for (const row of readFileSync(line.slice(5), "utf8").split("\n")) {
      if (!row) continue;
      const [child, version, sent, replied] = row.split("\t");
      changes++;
      const times = arrivals.get(`${child}\u0000${version}`);
      for (let c = 0; c < clients; c++) {
        expected++;
        const t = times ? times[c] : NaN;
        if (Number.isNaN(t)) missing++;
        else {
          arrivedCount++;
          const tenths = Math.round((t - Number(sent)) * 10);
          histogram.set(tenths, (histogram.get(tenths) ?? 0) + 1);
          const sinceReply = Math.round((t - Number(replied)) * 10);
          afterReply.set(sinceReply, (afterReply.get(sinceReply) ?? 0) + 1);
        }
      }
    }
    // Written out in full before the process exits (stdout to a pipe is asynchronous).
    const result = "result " + JSON.stringify({
      clients, changes, expected, arrived: arrivedCount, missing, batches, resyncs, closed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6, seconds, histogram: [...histogram].sort((a, b) => a[0] - b[0]),
      afterReply: [...afterReply].sort((a, b) => a[0] - b[0]),
    }) + "\n";
    await new Promise((done) => process.stdout.write(result, done));
    break;
  }
}
await Promise.all(connections.map((c) => c.stop().catch(() => { })));
process.exit(0);
