using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareTwin.Testing;

namespace CareTwin.Silo.Tests;

/// <summary>
/// No secret is committed: keys, certificates and databases stay out of git, and the configuration that ships
/// (appsettings, deploy/) names no password, API key hash or staff account. Secrets come from the environment.
/// </summary>
public sealed partial class RepositorySecretsTests
{
    private static readonly Lazy<IReadOnlyList<string>> Tracked = new(TrackedFiles);

    /// <summary>
    /// Reviewed exceptions: a database the version before Orleans wrote from the synthetic demo region (999-range
    /// NHS numbers, no keys, no accounts), which the current version must keep opening.
    /// </summary>
    private static readonly string[] SyntheticFixtures = ["tests/Grains.Tests/Fixtures/caretwin-before-orleans.db"];

    [Fact]
    public void No_private_key_certificate_or_database_file_is_committed()
    {
        string[] forbidden = [".pfx", ".p12", ".key", ".pem", ".crt", ".db", ".sqlite", ".env"];
        var found = Tracked.Value.Where(f => (forbidden.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) && !SyntheticFixtures.Contains(f))
            || Path.GetFileName(f) == "demo-api-keys.json").ToList();
        Assert.True(found.Count == 0, "Committed: " + string.Join(", ", found));
    }

    [Fact]
    public void No_committed_file_holds_a_private_key()
    {
        // Split so this file does not match itself.
        const string Marker = "PRIVATE " + "KEY-----";
        var found = Tracked.Value.Where(f => Text(f) is { } text && text.Contains(Marker, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 0, "A private key in: " + string.Join(", ", found));
    }

    [Fact]
    public void Shipped_configuration_names_no_password_api_key_or_staff_account()
    {
        var shipped = Tracked.Value.Where(f => (f.StartsWith("src/", StringComparison.Ordinal) || f.StartsWith("deploy/", StringComparison.Ordinal))
            && (Path.GetFileName(f).StartsWith("appsettings", StringComparison.Ordinal) || f.StartsWith("deploy/", StringComparison.Ordinal))).ToList();
        Assert.Contains("src/Silo/appsettings.json", shipped);
        var problems = new List<string>();
        foreach (var file in shipped)
        {
            if (Text(file) is not { } text) continue;
            // Comment lines explain where a password goes; they are not settings.
            var settings = string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
            foreach (Match password in Password().Matches(settings))
                // Empty, a placeholder, or a shell or compose variable.
                if (password.Groups["value"].Value is not ("" or "CHANGE_ME" or "…") && !password.Groups["value"].Value.StartsWith('$'))
                    problems.Add($"{file}: {password.Value}");
            if (!file.EndsWith(".json", StringComparison.Ordinal)) continue;
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            foreach (var (section, list) in new[] { ("Api", "Keys"), ("Web", "Staff") })
                if (json.RootElement.TryGetProperty(section, out var s) && s.TryGetProperty(list, out var entries) && entries.GetArrayLength() > 0)
                    problems.Add($"{file}: {section}:{list} has entries; they belong in the environment.");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static string? Text(string file)
    {
        var path = Path.Combine(Repository.Root, file);
        if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000) return null;
        var text = File.ReadAllText(path);
        return text.Contains('\0') ? null : text;
    }

    private static IReadOnlyList<string> TrackedFiles()
    {
        var info = new ProcessStartInfo("git", ["-C", Repository.Root, "ls-files", "-z"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(info) ?? throw new InvalidOperationException("git did not start.");
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git ls-files failed: {git.StandardError.ReadToEnd()} (the suite runs in a git clone of the repository).");
        var files = output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(files.Length > 100, "git ls-files listed almost nothing.");
        return files;
    }

    [GeneratedRegex(@"(?i)(password|pwd)\s*[=:]\s*""?(?<value>[^;""`\s]*)")]
    private static partial Regex Password();
}
