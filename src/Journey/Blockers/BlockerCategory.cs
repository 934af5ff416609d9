using System.Text.Json;

namespace CareTwin.Journey.Blockers;

/// <summary>What kind of thing stands in the way (the DESIGN.md categories).</summary>
public enum BlockerCategory
{
    HousingAdaptation,
    CarePackage,
    Equipment,
    CarerTraining,
    FundingDecision,
    /// <summary>Social care and safeguarding: always sensitive, never shown to the family.</summary>
    SocialCareSafeguarding,
    Education,
    Medical,
    Transport,
    FamilyChoice,
    Other,
}

public enum BlockerStatus
{
    Open,
    InProgress,
    Resolved,
    Cancelled,
}

/// <summary>Names and plain-language explanations of the blocker categories.</summary>
public static class BlockerCategories
{
    /// <summary>The stable kebab-case key, as in JSON (e.g. "housing-adaptation").</summary>
    public static string Key(BlockerCategory category) => JsonNamingPolicy.KebabCaseLower.ConvertName(category.ToString());

    /// <summary>
    /// Safeguarding must never reach the family, so its category is sensitive whatever the command
    /// says. (DESIGN.md groups social care with safeguarding in one category, so the whole
    /// category is treated as sensitive; family-facing social-care work such as a care package
    /// belongs under <see cref="BlockerCategory.CarePackage"/>.)
    /// </summary>
    public static bool AlwaysSensitive(BlockerCategory category) => category == BlockerCategory.SocialCareSafeguarding;

    public static string Title(BlockerCategory category) => category switch
    {
        BlockerCategory.HousingAdaptation => "Housing / home adaptation",
        BlockerCategory.CarePackage => "Care package / recruitment",
        BlockerCategory.Equipment => "Equipment",
        BlockerCategory.CarerTraining => "Carer / parent training",
        BlockerCategory.FundingDecision => "Funding / continuing-care decision",
        BlockerCategory.SocialCareSafeguarding => "Social care / safeguarding",
        BlockerCategory.Education => "Education",
        BlockerCategory.Medical => "Medical",
        BlockerCategory.Transport => "Transport",
        BlockerCategory.FamilyChoice => "Family choice",
        BlockerCategory.Other => "Other",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    /// <summary>What the family is told when a blocker has no family text of its own.</summary>
    public static string FamilyExplanation(BlockerCategory category) => category switch
    {
        BlockerCategory.HousingAdaptation => "Getting your home ready (or finding a new one) so your child's equipment and care fit safely.",
        BlockerCategory.CarePackage => "Finding and training the carers who will help look after your child at home.",
        BlockerCategory.Equipment => "Getting the equipment your child needs at home delivered and set up.",
        BlockerCategory.CarerTraining => "Training for you and your family so you feel confident caring for your child at home.",
        BlockerCategory.FundingDecision => "Deciding who pays for your child's care at home.",
        BlockerCategory.SocialCareSafeguarding => "Support from social care.",
        BlockerCategory.Education => "Arranging your child's nursery or school support.",
        BlockerCategory.Medical => "Medical care your child needs before the next step.",
        BlockerCategory.Transport => "Arranging safe transport for your child.",
        BlockerCategory.FamilyChoice => "A decision your family is taking time to make.",
        BlockerCategory.Other => "Something the team is sorting out.",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}
