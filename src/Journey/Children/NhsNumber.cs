using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Children;

/// <summary>
/// A validated NHS number (10 digits, Modulus 11 check digit). Never a key and never logged:
/// <see cref="ToString"/> is masked; use <see cref="Formatted"/> (3-3-4) where a person must read it.
/// </summary>
[JsonConverter(typeof(NhsNumberJsonConverter))]
public sealed record NhsNumber
{
    private NhsNumber(string digits) => Digits = digits;

    /// <summary>The 10 digits, no separators (for storage only).</summary>
    public string Digits { get; }

    /// <summary>Displayed as 3-3-4, e.g. "943 476 5919".</summary>
    public string Formatted => $"{Digits[..3]} {Digits[3..6]} {Digits[6..]}";

    public override string ToString() => "NHS number (hidden)";

    /// <summary>Accepts spaces and dashes between digits (as people type and print it).</summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out NhsNumber? number, [NotNullWhen(false)] out string? problem)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "An NHS number is required.";
            return false;
        }
        var digits = string.Concat(input.Where(c => c is not (' ' or '-')));
        if (digits.Any(c => c is < '0' or > '9'))
        {
            problem = "An NHS number contains digits only (spaces and dashes are allowed between them).";
            return false;
        }
        if (digits.Length != 10)
        {
            problem = $"An NHS number has 10 digits, not {digits.Length}.";
            return false;
        }
        var check = CheckDigitFor(digits.AsSpan(0, 9));
        if (check is null)
        {
            problem = "This is not a valid NHS number (its first nine digits give check value 10, which no NHS number has).";
            return false;
        }
        if (check != digits[9] - '0')
        {
            problem = "This NHS number's check digit does not match; please check it for a typing error.";
            return false;
        }
        number = new NhsNumber(digits);
        problem = null;
        return true;
    }

    public static NhsNumber Parse(string input) =>
        TryParse(input, out var number, out var problem) ? number : throw new FormatException(problem);

    /// <summary>
    /// Distinct valid NHS numbers from the 999 test range (never issued to patients), from <paramref name="start"/>
    /// on, skipping the nine-digit prefixes that have no valid check digit: for synthetic children only.
    /// </summary>
    public static IEnumerable<string> TestRange(int start)
    {
        const int span = 1_000_000;
        for (var offset = 0; offset < span; offset++)
        {
            var firstNine = $"999{(start + offset) % span:D6}";
            if (CheckDigitFor(firstNine) is { } check)
                yield return firstNine + check;
        }
    }

    /// <summary>
    /// Modulus 11: weights 10..2 over the first nine digits; check = 11 - (sum mod 11); 11 becomes 0;
    /// 10 means no valid NHS number starts with these nine digits (null).
    /// </summary>
    internal static int? CheckDigitFor(ReadOnlySpan<char> firstNine)
    {
        if (firstNine.Length != 9)
            throw new ArgumentException("Nine digits expected.", nameof(firstNine));
        var sum = 0;
        for (var i = 0; i < 9; i++)
            sum += (firstNine[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }
}
