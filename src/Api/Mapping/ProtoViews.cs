using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Grains.Services;
using Google.Protobuf.WellKnownTypes;
using V1 = CareTwin.Api.Contracts.V1;

namespace CareTwin.Api.Mapping;

/// <summary>Model views as proto messages: the one place a twin's state becomes what external systems read.</summary>
public static class ProtoViews
{
    public static V1.ChangeReply Reply(CommandOutcome outcome) => new()
    {
        Outcome = outcome.Kind == OutcomeKind.Accepted ? V1.ChangeOutcome.Accepted : V1.ChangeOutcome.Duplicate,
        Version = outcome.Version,
        CreatedId = outcome.CreatedId ?? "",
    };

    /// <param name="leadTimes">What blockers have really taken, for the summary's forecast.</param>
    public static V1.Journey Journey(ChildJourney journey, DateTimeOffset now, LeadTimes leadTimes)
    {
        var child = journey.Child!;
        var view = new V1.Journey
        {
            ChildId = child.ChildId,
            Version = journey.Version,
            Child = Child(child),
            Summary = BoardRowProjection.Build(journey, now, leadTimes) is { } row ? Row(row) : null,
            FamilyBurden = new V1.FamilyBurden
            {
                Last30Days = BurdenWindow(FamilyBurden.Over(journey, now, 30)),
                Last90Days = BurdenWindow(FamilyBurden.Over(journey, now, 90)),
            },
            FamilyCostEstimate = FamilyCostEstimate.For(journey, now) is { } estimate ? CostEstimate(estimate) : null,
            FamilyTravel = journey.FamilyTravel is { } travel ? Travel(travel) : null,
        };
        view.Transitions.AddRange(journey.Transitions.Select(Transition));
        view.Blockers.AddRange(journey.Blockers.Select(Blocker));
        view.Appointments.AddRange(journey.Appointments.Select(Appointment));
        view.FamilyMessages.AddRange(journey.FamilyMessages.Select(FamilyMessage));
        return view;
    }

    public static V1.BoardRow Row(BoardRow row)
    {
        var view = new V1.BoardRow
        {
            ChildId = row.ChildId,
            ChildName = row.ChildName,
            HospitalKey = row.HospitalKey,
            RegionKey = row.RegionKey,
            TransitionKind = ProtoEnum<V1.TransitionKind, TransitionKind>.ToProto(row.TransitionKind),
            DischargeReadyDate = Date(row.DischargeReadyDate),
            DaysDelayed = row.DaysDelayed,
            PredictedReadyDate = Date(row.PredictedReadyDate),
            MaxEscalationLevel = row.MaxEscalationLevel,
            SlaBreaches = row.SlaBreaches,
            AwaitingAcknowledgement = row.AwaitingAcknowledgement,
            UnattributedDelayDays = (double)row.UnattributedDelayDays,
            FamilyConcerns = row.FamilyConcerns,
            AsOf = Instant(row.AsOf),
        };
        view.Stage = row.Stage ?? "";
        view.CriticalPathBlockerId = row.CriticalPathBlockerId ?? "";
        if (row.Forecast is { } forecast)
        {
            view.LikelyReadyFrom = Date(forecast.LikelyFrom);
            view.LikelyReadyBy = Date(forecast.LikelyBy);
            view.ForecastDrivingBlockerId = forecast.DrivingBlockerId ?? "";
        }
        view.Services.AddRange(ServiceTallies(row.OpenBlockersByService, row.DelayDaysByService));
        view.Categories.AddRange(CategoryTallies(row.OpenBlockersByCategory, row.DelayDaysByCategory));
        return view;
    }

    public static V1.BoardSnapshot Board(BoardSnapshot snapshot)
    {
        var view = new V1.BoardSnapshot { Board = snapshot.BoardKey, Totals = Totals(snapshot.Summary), AsOf = Instant(snapshot.AsOf) };
        view.Rows.AddRange(snapshot.Summary.Rows.Values.OrderBy(r => r.ChildId, StringComparer.Ordinal).Select(Row));
        return view;
    }

    /// <param name="children">When the summary comes without its rows (a published change), how many children it has.</param>
    public static V1.BoardTotals Totals(BoardSummary summary, int? children = null)
    {
        var view = new V1.BoardTotals
        {
            Children = children ?? summary.Children,
            ChildrenDelayed = summary.ChildrenDelayed,
            DaysDelayed = summary.DaysDelayed,
            SlaBreaches = summary.SlaBreaches,
            AwaitingAcknowledgement = summary.AwaitingAcknowledgement,
            Families = summary.Families,
            FamilyHours = (double)summary.FamilyHours,
            FamilyMoney = (double)summary.FamilyMoney,
            FamiliesWithMoney = summary.FamiliesWithMoney,
            FamiliesWithTravelTime = summary.FamiliesWithTravelTime,
        };
        view.Services.AddRange(ServiceTallies(summary.OpenBlockersByService, summary.DelayDaysByService));
        view.Categories.AddRange(CategoryTallies(summary.OpenBlockersByCategory, summary.DelayDaysByCategory));
        view.ChildrenByEscalationLevel.AddRange(summary.ChildrenByEscalationLevel);
        return view;
    }

    public static V1.ServiceSnapshot Service(ServiceOverview overview)
    {
        var view = new V1.ServiceSnapshot
        {
            Service = overview.Service.Value,
            Name = overview.Profile?.Name ?? "",
            Performance = Performance(overview.Performance),
            AsOf = Instant(overview.AsOf),
        };
        view.ActiveBlockers.AddRange(overview.ActiveBlockers.Select(OwnedBlocker));
        view.AwaitingAcknowledgement.AddRange(overview.AwaitingAcknowledgement.Select(Awaiting));
        return view;
    }

    public static V1.OwnedBlocker OwnedBlocker(OwnedBlocker blocker)
    {
        var view = new V1.OwnedBlocker
        {
            ChildId = blocker.ChildId,
            ChildName = blocker.ChildName,
            BlockerId = blocker.BlockerId,
            Category = ProtoEnum<V1.BlockerCategory, BlockerCategory>.ToProto(blocker.Category),
            Status = ProtoEnum<V1.BlockerStatus, BlockerStatus>.ToProto(blocker.Status),
            ProfessionalText = blocker.ProfessionalText,
            Sensitive = blocker.Sensitive,
            RaisedAt = Instant(blocker.RaisedAt),
            OwnedSince = Instant(blocker.OwnedSince),
            TargetDate = Date(blocker.TargetDate),
            SlaDueDate = Date(blocker.SlaDueDate),
            ClosedAt = Instant(blocker.ClosedAt),
            EscalationLevel = blocker.EscalationLevel,
            PendingEscalation = blocker.PendingEscalation is { } pending ? Escalation(pending) : null,
        };
        view.NamedOwner = blocker.NamedOwner ?? "";
        view.SourceSystem = blocker.SourceSystem ?? "";
        view.ExternalId = blocker.ExternalId ?? "";
        return view;
    }

    public static V1.AwaitingAcknowledgement Awaiting(AwaitingAcknowledgement awaiting) => new()
    {
        ChildId = awaiting.ChildId,
        BlockerId = awaiting.BlockerId,
        Level = awaiting.Level,
        Contact = Contact(awaiting.Contact),
        Reason = awaiting.Reason,
        AcknowledgeBy = Instant(awaiting.AcknowledgeBy),
        Overdue = awaiting.Overdue,
    };

    public static V1.SlaPerformance Performance(SlaPerformance performance)
    {
        var view = new V1.SlaPerformance
        {
            ActiveWithinSla = performance.ActiveWithinSla,
            ActiveBreached = performance.ActiveBreached,
            ResolvedWithinSla = performance.ResolvedWithinSla,
            ResolvedLate = performance.ResolvedLate,
        };
        view.PercentWithinSla = (double?)performance.PercentWithinSla;
        return view;
    }

    public static V1.JournalEntry Entry(TimelineEntry entry)
    {
        var view = new V1.JournalEntry
        {
            Version = entry.Version,
            Kind = entry.Kind,
            At = Instant(entry.At),
            Who = Actor(entry.Who),
            SourceSystem = entry.SourceSystem,
            ExternalId = entry.ExternalId,
        };
        if (entry.Event is IBlockerEvent blockerEvent)
            view.BlockerId = blockerEvent.BlockerId;
        return view;
    }

    public static V1.Date? Date(DateOnly? date) => date is { } d ? new V1.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;

    public static Timestamp? Instant(DateTimeOffset? instant) => instant is { } at ? Timestamp.FromDateTimeOffset(at) : null;

    private static V1.Child Child(ChildProfile child)
    {
        var view = new V1.Child
        {
            NhsNumber = child.NhsNumber.Digits,
            GivenName = child.GivenName,
            FamilyName = child.FamilyName,
            DateOfBirth = Date(child.DateOfBirth),
            HospitalKey = child.HospitalKey,
            RegionKey = child.RegionKey,
            RegisteredAt = Instant(child.RegisteredAt),
        };
        view.CareTeam.AddRange(child.CareTeam.Select(m => new V1.CareTeamMember { Name = m.Name, Role = m.Role }));
        return view;
    }

    private static V1.Transition Transition(Transition transition)
    {
        var definition = transition.Definition();
        var stage = definition.FindStage(transition.Stage);
        var view = new V1.Transition
        {
            Id = transition.Id,
            Kind = ProtoEnum<V1.TransitionKind, TransitionKind>.ToProto(transition.Kind),
            Stage = transition.Stage,
            StageTitle = stage?.Title ?? transition.Stage,
            StageFamilyExplanation = stage?.FamilyExplanation ?? "",
            StartedAt = Instant(transition.StartedAt),
            StageEnteredAt = Instant(transition.StageEnteredAt),
            DischargeReadyDate = Date(transition.DischargeReadyDate),
            Destination = ProtoEnum<V1.DischargeDestination, DischargeDestination>.ToProto(transition.Destination),
            CompletedAt = Instant(transition.CompletedAt),
        };
        view.SourceSystem = transition.SourceSystem ?? "";
        view.ExternalId = transition.ExternalId ?? "";
        view.CompletedMilestones.AddRange(transition.Milestones.Select(m => new V1.CompletedMilestone { Key = m.Key, At = Instant(m.At) }));
        view.OutstandingMilestones.AddRange(definition.Milestones.Where(m => !transition.HasCompleted(m.Key)).Select(m => m.Key));
        return view;
    }

    private static V1.Blocker Blocker(Blocker blocker)
    {
        var view = new V1.Blocker
        {
            Id = blocker.Id,
            TransitionId = blocker.TransitionId,
            Category = ProtoEnum<V1.BlockerCategory, BlockerCategory>.ToProto(blocker.Category),
            OwningService = blocker.OwningService.Value,
            ProfessionalText = blocker.ProfessionalText,
            RaisedAt = Instant(blocker.RaisedAt),
            OwnedSince = Instant(blocker.OwnedSince),
            TargetDate = Date(blocker.TargetDate),
            SlaDueDate = Date(blocker.SlaDueDate),
            Status = ProtoEnum<V1.BlockerStatus, BlockerStatus>.ToProto(blocker.Status),
            ClosedAt = Instant(blocker.ClosedAt),
            Sensitive = blocker.Sensitive,
            EscalationLevel = blocker.EscalationLevel,
        };
        view.NamedOwner = blocker.NamedOwner ?? "";
        view.FamilyText = blocker.FamilyText ?? "";
        view.ClosingNote = blocker.ClosingNote ?? "";
        view.SourceSystem = blocker.SourceSystem ?? "";
        view.ExternalId = blocker.ExternalId ?? "";
        view.Escalations.AddRange(blocker.Escalations.IsDefault ? [] : blocker.Escalations.Select(Escalation));
        view.StartsAfter.AddRange(blocker.StartsAfter.IsDefault ? [] : blocker.StartsAfter);
        return view;
    }

    private static V1.Escalation Escalation(Escalation escalation)
    {
        var view = new V1.Escalation
        {
            Level = escalation.Level,
            Trigger = ProtoEnum<V1.EscalationTrigger, EscalationTrigger>.ToProto(escalation.Trigger),
            Reason = escalation.Reason,
            Service = escalation.Service.Value,
            Contact = Contact(escalation.Contact),
            RaisedAt = Instant(escalation.RaisedAt),
            RaisedBy = Actor(escalation.RaisedBy),
            AcknowledgeBy = Instant(escalation.AcknowledgeBy),
            AcknowledgedAt = Instant(escalation.AcknowledgedAt),
            AcknowledgedBy = escalation.AcknowledgedBy is { } by ? Actor(by) : null,
        };
        view.AcknowledgementNote = escalation.AcknowledgementNote ?? "";
        return view;
    }

    private static V1.EscalationContact Contact(EscalationContact contact)
    {
        var view = new V1.EscalationContact { Name = contact.Name, Role = contact.Role };
        view.Email = contact.Email ?? "";
        return view;
    }

    private static V1.Appointment Appointment(Appointment appointment) => new()
    {
        Id = appointment.Id,
        Service = appointment.Service.Value,
        Start = Instant(appointment.Start),
        DurationMinutes = (int)appointment.Duration.TotalMinutes,
        Place = appointment.Place,
        Purpose = appointment.Purpose,
        Status = ProtoEnum<V1.AppointmentStatus, AppointmentStatus>.ToProto(appointment.Status),
        SourceSystem = appointment.SourceSystem,
        ExternalId = appointment.ExternalId,
        BookedAt = Instant(appointment.BookedAt),
        UpdatedAt = Instant(appointment.UpdatedAt),
    };

    private static V1.FamilyMessage FamilyMessage(FamilyMessage message)
    {
        var view = new V1.FamilyMessage
        {
            Id = message.Id,
            Kind = ProtoEnum<V1.FamilyMessageKind, FamilyMessageKind>.ToProto(message.Kind),
            Text = message.Text,
            At = Instant(message.At),
            ConcernStatus = ProtoEnum<V1.ConcernStatus, ConcernStatus>.ToProto(message.Status),
            ReadAt = Instant(message.Read?.At),
            ReadBy = message.Read is { } read ? Actor(read.By) : null,
            AnsweredAt = Instant(message.Answer?.At),
            AnsweredBy = message.Answer is { } answer ? Actor(answer.By) : null,
            ClosedAt = Instant(message.Closed?.At),
            ClosedBy = message.Closed is { } closed ? Actor(closed.By) : null,
        };
        view.BlockerId = message.BlockerId ?? "";
        view.Answer = message.Answer?.Text ?? "";
        return view;
    }

    private static V1.FamilyBurdenWindow BurdenWindow(BurdenWindow window) => new()
    {
        Days = window.Days,
        Appointments = window.Appointments,
        DistinctServices = window.DistinctServices,
        Hours = (double)window.Hours,
        DidNotAttend = window.DidNotAttend,
    };

    private static V1.FamilyCostEstimate CostEstimate(FamilyCostEstimate estimate) => new()
    {
        Last30Days = CostWindow(estimate.Last30Days),
        Last90Days = CostWindow(estimate.Last90Days),
        SinceJourneyStarted = CostWindow(estimate.SinceJourneyStarted),
        Basis = estimate.Basis,
    };

    private static V1.FamilyCostWindow CostWindow(FamilyCostWindow window) => new()
    {
        Period = window.Period,
        StartsAt = Instant(window.From),
        Attended = window.Attended,
        Missed = window.Missed,
        CancelledLate = window.CancelledLate,
        AtHome = window.AtHome,
        HoursAtAppointments = (double)window.HoursAtAppointments,
        HoursTravelling = (double)window.HoursTravelling,
        Hours = (double)window.Hours,
        HoursWorkedOut = window.HoursWorkedOut,
        MoneyPence = Pence(window.Money),
        MoneyWorkedOut = window.MoneyWorkedOut,
        HoursOffWork = (double?)window.HoursOffWork,
        HoursOffWorkWorkedOut = window.HoursOffWorkWorkedOut,
    };

    private static V1.FamilyTravel Travel(FamilyTravel travel) => new()
    {
        Mode = ProtoEnum<V1.TravelMode, TravelMode>.ToProto(travel.Mode),
        TravelMinutes = travel.TravelMinutes,
        CostPerTripPence = Pence(travel.CostPerTrip),
        ParkingPerVisitPence = Pence(travel.ParkingPerVisit),
        HoursOffWork = (double?)travel.HoursOffWork,
        UpdatedAt = Instant(travel.UpdatedAt),
    };

    /// <summary>Pounds as whole pence: the family's figures are refused unless in pounds and pence, so nothing is lost.</summary>
    private static long? Pence(decimal? pounds) => pounds is { } p ? (long)decimal.Round(p * 100m) : null;

    private static V1.Actor Actor(Actor actor) => new()
    {
        Id = actor.Id,
        DisplayName = actor.DisplayName,
        Role = ProtoEnum<V1.ActorRole, ActorRole>.ToProto(actor.Role),
    };

    private static IEnumerable<V1.ServiceTally> ServiceTallies(
        ImmutableDictionary<ServiceKey, int> open, ImmutableDictionary<ServiceKey, decimal> delay) =>
        open.Keys.Union(delay.Keys).OrderBy(k => k.Value, StringComparer.Ordinal).Select(service => new V1.ServiceTally
        {
            Service = service.Value,
            OpenBlockers = open.GetValueOrDefault(service),
            DelayDays = (double)delay.GetValueOrDefault(service),
        });

    private static IEnumerable<V1.CategoryTally> CategoryTallies(
        ImmutableDictionary<BlockerCategory, int> open, ImmutableDictionary<BlockerCategory, decimal> delay) =>
        open.Keys.Union(delay.Keys).Order().Select(category => new V1.CategoryTally
        {
            Category = ProtoEnum<V1.BlockerCategory, BlockerCategory>.ToProto(category),
            OpenBlockers = open.GetValueOrDefault(category),
            DelayDays = (double)delay.GetValueOrDefault(category),
        });
}
