import * as signalR from "@microsoft/signalr";
import { problemOf } from "./forms";
import type { LiveBatch } from "./types";

// The page's one connection to the hub: shows whether it is live, reconnects by itself, and after any gap
// (a reconnect, or the server saying changes were lost) reads every watched view again, so nothing is missed.

type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

const stateText: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Live: changes appear as they happen",
  reconnecting: "Reconnecting… changes will appear when the connection is back",
  offline: "Offline: trying to reconnect",
};

// Reconnect quickly at first, then every 10 seconds for as long as the page is open.
const retryDelays = [0, 1000, 2000, 5000, 10000];

// When a node of the cluster was leaving, the view is read again shortly.
const readAgainDelays = [500, 1000, 2000, 5000];

class Watch<T> {
  private loading = false;
  private queued: LiveBatch[] = [];
  private readAgain = 0;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly show: (view: T) => void,
    private readonly apply: (changes: unknown) => void,
    private readonly failed: (problem: unknown) => void,
  ) {}

  /** Reads the whole view (the hub joins the group before reading); changes arriving meanwhile wait their turn. */
  async reload(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.queued = [];
    try {
      this.show(await this.read());
    } catch (problem) {
      this.loading = false;
      if (problemOf(problem).tryAgain) {
        window.setTimeout(() => void this.reload(), readAgainDelays[Math.min(this.readAgain++, readAgainDelays.length - 1)]);
        return;
      }
      this.failed(problem);
      return;
    }
    this.readAgain = 0;
    this.loading = false;
    const waiting = this.queued;
    this.queued = [];
    for (const batch of waiting) this.receive(batch);
  }

  receive(batch: LiveBatch): void {
    if (this.loading) this.queued.push(batch);
    else if (batch.resync) void this.reload();
    else this.apply(batch.changes);
  }
}

/**
 * What a page watches, without the audience the server adds to a group's name ("child:x@housing.y" for staff acting for
 * a service, who see the record without other services' sensitive blockers): a page watches each topic once.
 */
function topicOf(group: string): string {
  return group.split("@")[0]!;
}

export class Live {
  readonly hub: signalR.HubConnection;
  private readonly watches = new Map<string, Watch<unknown>>();
  private readonly status = document.querySelector<HTMLElement>("[data-connection]");
  private readonly backOnline: (() => void)[] = [];
  private ended = false;

  constructor() {
    // Hidden in the server's HTML: without script the page is a plain page, not one "Connecting…" for ever.
    this.status?.removeAttribute("hidden");
    this.hub = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/journey")
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => retryDelays[Math.min(retry.previousRetryCount, retryDelays.length - 1)]! })
      .configureLogging(signalR.LogLevel.None)
      .build();
    this.hub.on("changes", (batch: LiveBatch) => this.watches.get(topicOf(batch.topic))?.receive(batch));
    this.hub.on("accessEnded", () => this.end("Your access to this record has ended. Ask the child's care coordinator if you think this is wrong."));
    this.hub.onreconnecting(() => this.show("reconnecting"));
    this.hub.onreconnected(() => {
      this.show("connected");
      this.reloadAll();
      this.tellBackOnline();
    });
    this.hub.onclose(() => {
      if (this.ended) return;
      this.show("offline");
      this.startLater();
    });
    window.addEventListener("offline", () => this.show("offline"));
    window.addEventListener("online", () => {
      if (this.hub.state !== signalR.HubConnectionState.Connected) return;
      this.show("connected");
      this.tellBackOnline();
    });
  }

  /** Follows a view: `read` fetches it whole (and joins its group), `apply` takes each batch of changes after it. */
  watch<T>(topic: string, read: () => Promise<T>, show: (view: T) => void, apply: (changes: unknown) => void, failed: (problem: unknown) => void): void {
    const watch = new Watch<T>(read, show, apply, failed);
    this.watches.set(topicOf(topic), watch as Watch<unknown>);
    if (this.hub.state === signalR.HubConnectionState.Connected) void watch.reload();
  }

  async start(): Promise<void> {
    this.show("connecting");
    try {
      await this.hub.start();
    } catch {
      this.show("offline");
      this.startLater();
      return;
    }
    this.show("connected");
    this.reloadAll();
    this.tellBackOnline();
  }

  /** Whether a change can be sent now: the browser has a network and the hub is connected. */
  online(): boolean {
    return !this.ended && navigator.onLine && this.hub.state === signalR.HubConnectionState.Connected;
  }

  /** Calls `then` each time the page is back online (after a reconnect, or the browser's network returning). */
  onOnline(then: () => void): void {
    this.backOnline.push(then);
  }

  invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.hub.invoke<T>(method, ...args);
  }

  private tellBackOnline(): void {
    if (!this.online()) return;
    for (const then of this.backOnline) then();
  }

  private reloadAll(): void {
    for (const watch of this.watches.values()) void watch.reload();
  }

  private startLater(): void {
    window.setTimeout(() => void this.start(), retryDelays[retryDelays.length - 1]);
  }

  private end(message: string): void {
    this.ended = true;
    void this.hub.stop();
    this.show("offline");
    const text = this.status?.querySelector("[data-connection-text]");
    if (text) text.textContent = message;
    document.querySelectorAll("form").forEach((form) => form.querySelectorAll("button, input, textarea, select").forEach((c) => c.setAttribute("disabled", "")));
  }

  private show(state: ConnectionState): void {
    if (!this.status) return;
    this.status.dataset.state = state;
    const text = this.status.querySelector("[data-connection-text]");
    if (text) text.textContent = stateText[state];
  }
}
