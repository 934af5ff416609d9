using CareTwin.Grains.Model.Decisions;
using CareTwin.Grains.Model.Journal;

namespace CareTwin.Grains.Model.Family;

public sealed record AddFamilyNote(CommandOrigin Origin, string Text) : JourneyCommand(Origin);

public sealed record FlagConcern(CommandOrigin Origin, string Text, string? BlockerId = null) : JourneyCommand(Origin);
