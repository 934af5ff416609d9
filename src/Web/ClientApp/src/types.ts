// The shapes the hub sends (CareTwin.Web.Views and the journey model's projections), as the model's JSON
// writes them: camelCase, kebab-case enums, dates as "yyyy-mm-dd", null values left out.

export type Dict<T> = Record<string, T>;

export interface LiveBatch { topic: string; resync: boolean; changes?: unknown; }

export interface ActionDone { version: number; createdId?: string; alreadyDone: boolean; }

export interface BoardRow {
  childId: string; childName: string; hospitalKey: string; regionKey: string;
  transitionKind?: string; stage?: string; stageTitle?: string; dischargeReadyDate?: string; daysDelayed: number;
  predictedReadyDate?: string; criticalPathBlockerId?: string;
  /** When the child is likely to be ready, from learned lead times; missing from rows stored before the board carried it. */
  forecast?: ReadyForecast;
  openBlockersByCategory: Dict<number>; openBlockersByService: Dict<number>;
  maxEscalationLevel: number; slaBreaches: number; awaitingAcknowledgement: number;
  familyConcerns: number; asOf: string;
  /** When the longest-waiting concern the team has neither answered nor closed was flagged. */
  oldestUnansweredConcern?: string;
  /** Ten digits (format with nhsNumber()); missing from rows stored before the board carried it. */
  nhsNumber?: string; dateOfBirth?: string;
  /** Set when the child has left hospital: off the live list, on "recently discharged". */
  dischargedOn?: string;
  /** Delay days of the last 12 weeks by ISO week (its Monday), service and category; none of them for days with no blocker open. */
  delayWeeks?: { weekStarting: string; service?: string; category?: string; days: number }[];
}

export interface BoardTotals {
  children: number; childrenDelayed: number; daysDelayed: number;
  delayDaysByService: Dict<number>; delayDaysByCategory: Dict<number>;
  openBlockersByService: Dict<number>; openBlockersByCategory: Dict<number>;
  slaBreaches: number; awaitingAcknowledgement: number; childrenByEscalationLevel: number[];
  /** The families' time and money over the last 30 days, worded on the server (BoardFamilyCostTotals). */
  familyCosts: { figures: { value: string; label: string }[]; workedOut: string };
}

export interface BoardView {
  boardKey: string; title: string; rows: BoardRow[]; totals: BoardTotals;
  serviceNames: Dict<string>; hospitalNames: Dict<string>; asOf: string; stageTitles?: Dict<string>;
  /** An unanswered family concern older than this many hours is raised on the board (Web:Board:ConcernAnswerWithinHours). */
  concernAnswerWithinHours?: number;
}

export interface BoardChanges { rows: { childId: string; childVersion: number; row: BoardRow }[]; totals: BoardTotals; }

export interface EscalationContact { name: string; role: string; email?: string; }

export interface Escalation {
  level: number; trigger: string; reason: string; service: string; contact: EscalationContact;
  raisedAt: string; acknowledgeBy: string; acknowledgedAt?: string;
}

export interface StageChoice { key: string; title: string; }

export interface TransitionView {
  id: string; kind: string; title: string; stage: string; stageTitle: string; isComplete: boolean;
  dischargeReadyDate?: string; requiresDestination: boolean; stages: StageChoice[]; milestones: { title: string; done: boolean }[];
}

export interface BlockerView {
  id: string; transitionId: string; category: string; categoryTitle: string; owningService: string; owningServiceName: string;
  namedOwner?: string; professionalText: string; familyText?: string; sensitive: boolean; status: string;
  raisedAt: string; targetDate: string; slaDueDate: string; ageDays: number; daysOverSla: number;
  escalationLevel: number; pendingEscalation?: Escalation; onCriticalPath: boolean; closedAt?: string; startsAfter: string[];
  /** What the reader may do to it, decided on the server by the access policy: only these are offered. */
  actions: BlockerPermissions;
}

export interface BlockerPermissions { canMarkInProgress: boolean; canResolve: boolean; canReassign: boolean; canEscalate: boolean; canAcknowledge: boolean; }

/** raiseFor: the services the reader may raise a blocker for (decided on the server). */
export interface ChildPermissions { raiseFor: string[]; canChangeStage: boolean; canAnswerConcerns: boolean; }

export interface TimelineLine { version: number; at: string; who: string; role: string; what: string; through?: string; }

export interface ChildRecord {
  childId: string; version: number; name: string; nhsNumber: string; dateOfBirth: string; hospitalName: string;
  careTeam: { name: string; role: string }[]; currentTransitionId?: string; transitions: TransitionView[];
  daysDelayed: number; prediction?: { predictedReadyDate: string; criticalPathBlockerId?: string; criticalPathOverdue: boolean };
  blockers: BlockerView[];
  appointments: { id: string; serviceName: string; start: string; durationMinutes: number; place: string; purpose: string; status: string; bookedBy?: string }[];
  familyMessages: FamilyMessageLine[]; olderFamilyMessages: number;
  timeline: TimelineLine[]; services: { key: string; name: string }[]; actions: ChildPermissions; asOf: string;
  familyCosts?: FamilyCosts;
  forecast?: ReadyForecast;
}

/** When a child is likely to be ready (likelyFrom to likelyBy, "yyyy-mm-dd") and the open blocker that drives it. */
export interface ReadyForecast { likelyFrom: string; likelyBy: string; drivingBlockerId?: string; }

/** The family's time and money, worded on the server (FamilyCosts): the page only lays the words out. */
export interface FamilyCosts {
  travel?: string; basis: string; burden: string[];
  periods: { period: string; figures: { what: string; figure: string; workedOut: string }[] }[];
}

/** A family message on the child page (staff). */
export interface FamilyMessageLine {
  id: string; kind: string; text: string; blockerId?: string; at: string; by: string;
  /** For a concern: "open", "read", "answered" or "closed", who did it and when (progress), and the team's answer. */
  status?: string; progress?: string; answer?: string;
}

/** GetChildFamilyMessages: older family messages on the child page, newest first. */
export interface FamilyMessageLinesPage { messages: FamilyMessageLine[]; olderMessages: number; }

export interface AccessLogLine { at: string; who: string; role: string; what: string; through: string; allowed: boolean; }

export interface FamilyAccessOverview {
  childId: string;
  invites: { inviteId: string; issuedBy: string; issuedAt: string; expiresAt: string; status: string }[];
  members: { memberId: string; displayName: string; joinedAt: string; active: boolean }[];
  youngPersonConsent: boolean;
  consentRecordedBy?: string;
  consentRecordedAt?: string;
}

/** consentNeeded: the young person is 16 or over and the trust's setting makes family access wait for their agreement. */
export interface FamilyAccessView { overview: FamilyAccessOverview; consentNeeded: boolean; }

export interface IssuedInvite { inviteId: string; code: string; expiresAt: string; }

export interface OwnedBlocker {
  childId: string; childName: string; blockerId: string; category: string; status: string; namedOwner?: string;
  professionalText: string; sensitive: boolean; raisedAt: string; ownedSince: string; targetDate: string; slaDueDate: string;
  closedAt?: string; escalationLevel: number; pendingEscalation?: Escalation;
}

export interface SlaPerformance { activeWithinSla: number; activeBreached: number; resolvedWithinSla: number; resolvedLate: number; percentWithinSla?: number; }

export interface ServiceView { service: string; name: string; activeBlockers: OwnedBlocker[]; performance: SlaPerformance; asOf: string; }

export interface ServiceChanges { children: { childId: string; childVersion: number; blockers: OwnedBlocker[] }[]; awaitingAcknowledgement: number; performance: SlaPerformance; }

/** WatchFamily and the family group's changes: the view as data, and as the family page shows it (rendered by the server). */
export interface FamilyLiveView { asOf: string; html: string; }


/** An MDT meeting's live part, as HTML the server rendered for this reader. */
export interface MeetingLiveView { closed: boolean; html: string; }

/** The agency view's "Actions agreed at MDT meetings", as HTML the server rendered for this reader. */
export interface ServiceMeetingsLiveView { html: string; }
