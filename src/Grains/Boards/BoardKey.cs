using System.Diagnostics.CodeAnalysis;
using CareTwin.Journey.Projections;

namespace CareTwin.Grains.Boards;

public enum BoardLevel
{
    Hospital,
    Region,
}

/// <summary>
/// Which board: one hospital's or a whole region's. Its text form ("hospital:royal-thamesbank",
/// "region:north-thames") is the board grain's key and its stream key.
/// </summary>
public sealed record BoardKey(BoardLevel Level, string Code)
{
    private const string HospitalPrefix = "hospital:";
    private const string RegionPrefix = "region:";

    public static BoardKey ForHospital(string hospitalKey) => new(BoardLevel.Hospital, hospitalKey);

    public static BoardKey ForRegion(string regionKey) => new(BoardLevel.Region, regionKey);

    /// <summary>The boards a child's row belongs on.</summary>
    public static IEnumerable<BoardKey> For(BoardRow row) => [ForHospital(row.HospitalKey), ForRegion(row.RegionKey)];

    public bool Covers(BoardRow row) => Code == (Level == BoardLevel.Hospital ? row.HospitalKey : row.RegionKey);

    public override string ToString() => (Level == BoardLevel.Hospital ? HospitalPrefix : RegionPrefix) + Code;

    public static bool TryParse(string? value, [NotNullWhen(true)] out BoardKey? key)
    {
        key = value switch
        {
            not null when value.StartsWith(HospitalPrefix, StringComparison.Ordinal) && value.Length > HospitalPrefix.Length
                => ForHospital(value[HospitalPrefix.Length..]),
            not null when value.StartsWith(RegionPrefix, StringComparison.Ordinal) && value.Length > RegionPrefix.Length
                => ForRegion(value[RegionPrefix.Length..]),
            _ => null,
        };
        // The code is a key like any other (lower-case letters, digits, dashes): anything else names no board.
        if (key is not null && Journey.Validation.KeyRules.Slug(key.Code, "board") is not null) key = null;
        return key is not null;
    }
}
