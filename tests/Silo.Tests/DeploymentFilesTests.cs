using CareTwin.Api.Authentication;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using CareTwin.Silo.Composition;
using CareTwin.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CareTwin.Silo.Tests;

/// <summary>
/// deploy/systemd and deploy/container against the code: the example environment file names only settings the host
/// binds (and every storage, listener and data-protection setting), the stop timeouts outlast the host's shutdown, and the unit passes
/// systemd's own checks.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(Repository.Root, "deploy");
    private static readonly string UnitFile = Path.Combine(Deploy, "systemd", "caretwin.service");

    [Fact]
    public void Every_setting_in_the_example_environment_file_is_one_the_host_binds()
    {
        var settings = ExampleSettings();
        Assert.NotEmpty(settings);
        Assert.All(settings, setting =>
        {
            var error = Record.Exception(() => BindAlone(setting.Key, setting.Value));
            Assert.True(error is null, $"caretwin.env.example: {setting.Key}={setting.Value}: {error?.Message}");
        });
    }

    [Fact]
    public void The_example_environment_file_documents_every_storage_listener_data_protection_and_operations_setting()
    {
        var documented = ExampleSettings().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var settings = SettingKeys(StorageSettings.SectionName, typeof(StorageSettings))
            .Concat(SettingKeys(ListenerSettings.SectionName, typeof(ListenerSettings)))
            .Concat(SettingKeys(DataProtectionSettings.SectionName, typeof(DataProtectionSettings)))
            .Concat(SettingKeys(OperationsSettings.SectionName, typeof(OperationsSettings)))
            .Concat(SettingKeys(ServiceDirectorySettings.SectionName, typeof(ServiceDirectorySettings))).ToList();
        Assert.Contains("Storage__Postgres__ConnectionString", settings);
        Assert.Contains("DataProtection__CertificatePath", settings);
        Assert.All(settings, key => Assert.True(documented.Contains(key), $"caretwin.env.example does not document {key}."));
    }

    [Fact]
    public void The_example_keys_file_is_one_the_host_reads_as_it_is()
    {
        var reading = new ApiKeysFile(Path.Combine(Deploy, "systemd", "api-keys.example.json")).ReadIfChanged()!;

        Assert.True(reading.Keys is not null, reading.Problem);
        Assert.Empty(ApiKeyRules.Check(reading.Keys));
        Assert.Contains(reading.Keys, k => k.Key.NextKeyHash is not null);
    }

    [Fact]
    public void The_example_service_directory_is_one_the_host_reads_as_it_is()
    {
        var (services, problem) = ServiceDirectoryDocument.Parse(File.ReadAllText(Path.Combine(Deploy, "systemd", "services.example.json")));

        Assert.Null(problem);
        Assert.Contains(services, s => s.Kind == AgencyKind.Housing);
        Assert.Equal("020 7946 0111", services.WardFor("city-childrens")?.Phone);
    }

    [Fact]
    public void A_service_directory_with_a_bad_service_stops_the_start_with_one_line_naming_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, File.ReadAllText(Path.Combine(Deploy, "systemd", "services.example.json")).Replace("\"020 7946 0111\"", "\"ring the ward\"", StringComparison.Ordinal));
            var error = Assert.Throws<InvalidOperationException>(() => CareTwinHost.Build([$"--Services:DirectoryFile={file}"]));
            Assert.Equal($"Services:DirectoryFile {file}: service 2 (health.ward.city-childrens): phone must be a phone number of digits and spaces, like 020 7946 0101.", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_example_environment_file_holds_no_secrets()
    {
        foreach (var (key, value) in ExampleSettings())
        {
            if (key.EndsWith("Password", StringComparison.Ordinal)) Assert.Equal("CHANGE_ME", value);
            foreach (Match password in ConnectionStringPassword().Matches(value)) Assert.Equal("CHANGE_ME", password.Groups[1].Value);
        }
    }

    [Fact]
    public async Task The_unit_and_the_container_give_the_host_longer_to_stop_than_its_own_shutdown_timeout()
    {
        await using var app = CareTwinHost.Build([]);
        var shutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        var unitStop = Seconds(UnitSetting().Match(File.ReadAllText(UnitFile)), "TimeoutStopSec in caretwin.service");
        var composeStop = Seconds(ComposeStopGrace().Match(File.ReadAllText(Path.Combine(Deploy, "container", "compose.yaml"))), "stop_grace_period in compose.yaml");

        Assert.True(unitStop > shutdown, $"TimeoutStopSec {unitStop} must exceed the host's shutdown timeout {shutdown}.");
        Assert.True(composeStop > shutdown, $"stop_grace_period {composeStop} must exceed the host's shutdown timeout {shutdown}.");
    }

    /// <summary>
    /// systemd-analyze verify (every key known, every value parses, the program exists) and its offline security
    /// review. The unit runs /opt/caretwin/CareTwin.Silo, which is not installed here, so a copy points at a stand-in.
    /// </summary>
    [Fact]
    public async Task The_service_unit_passes_systemd_analyze_verify_and_its_security_review()
    {
        var directory = Directory.CreateTempSubdirectory("caretwin-unit-").FullName;
        try
        {
            var unit = await File.ReadAllTextAsync(UnitFile);
            Assert.Contains("ExecStart=/opt/caretwin/CareTwin.Silo\n", unit);
            File.CreateSymbolicLink(Path.Combine(directory, "CareTwin.Silo"), "/bin/true");
            var copy = Path.Combine(directory, "caretwin.service");
            await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/opt/caretwin/", $"ExecStart={directory}/", StringComparison.Ordinal));

            var verify = await SystemdAnalyzeAsync("verify", copy);
            Assert.True(verify.ExitCode == 0 && verify.Output.Length == 0, $"systemd-analyze verify (exit {verify.ExitCode}):\n{verify.Output}");

            // Exposure 0–10 in tenths; 2.5 or less is what systemd calls OK.
            var security = await SystemdAnalyzeAsync("security", "--offline=true", "--threshold=25", copy);
            Assert.True(security.ExitCode == 0, $"systemd-analyze security (exit {security.ExitCode}):\n{security.Output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The settings of caretwin.env.example, set or commented out: "KEY=value" or "#KEY=value".</summary>
    private static List<KeyValuePair<string, string>> ExampleSettings() =>
        File.ReadLines(Path.Combine(Deploy, "systemd", "caretwin.env.example"))
            .Select(line => Setting().Match(line))
            .Where(m => m.Success)
            .Select(m => KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Value))
            .ToList();

    /// <summary>Binds the one setting into the options type the host binds its section to; unknown keys and unparsable values throw.</summary>
    private static void BindAlone(string key, string value)
    {
        // The generic host's environment name (DOTNET_ prefix), not a configuration section.
        if (key == "DOTNET_ENVIRONMENT") return;
        var path = key.Replace("__", ":", StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create<string, string?>(path, value)]).Build();
        Action<BinderOptions> strict = o => o.ErrorOnUnknownConfiguration = true;
        var section = path.Split(':')[0];
        switch (section)
        {
            case StorageSettings.SectionName:
                configuration.GetSection(section).Get<StorageSettings>(strict);
                break;
            case ListenerSettings.SectionName:
                configuration.GetSection(section).Get<ListenerSettings>(strict);
                break;
            case DataProtectionSettings.SectionName:
                configuration.GetSection(section).Get<DataProtectionSettings>(strict);
                break;
            case OrleansSettings.SectionName:
                configuration.GetSection(section).Get<OrleansSettings>(strict);
                break;
            case ApiOptions.SectionName:
                configuration.GetSection(section).Get<ApiOptions>(strict);
                break;
            case AccessOptions.SectionName:
                configuration.GetSection(section).Get<AccessOptions>(strict);
                break;
            case JourneySettings.SectionName:
                configuration.GetSection(section).Get<CareTwin.Journey.Validation.JourneyLimits>(strict);
                JourneySettings.Read(configuration);
                break;
            case ServiceDirectorySettings.SectionName:
                configuration.GetSection(section).Get<ServiceDirectorySettings>(strict);
                break;
            case DemoSettings.SectionName:
                configuration.GetSection(section).Get<DemoSettings>(strict);
                break;
            case OperationsSettings.SectionName:
                configuration.GetSection(section).Get<OperationsSettings>(strict);
                break;
            case CareTwin.Web.Hosting.WebOptions.SectionName:
                configuration.GetSection(section).Get<CareTwin.Web.Hosting.WebOptions>(strict);
                break;
            case "Logging" when path.StartsWith("Logging:LogLevel:", StringComparison.Ordinal):
                Enum.Parse<LogLevel>(value);
                break;
            case "Logging" when path.StartsWith("Logging:Console:", StringComparison.Ordinal):
                var console = configuration.GetSection("Logging:Console").Get<ConsoleLoggerOptions>(strict)!;
                if (console.FormatterName is { } name && name is not (ConsoleFormatterNames.Json or ConsoleFormatterNames.Simple or ConsoleFormatterNames.Systemd))
                    throw new InvalidOperationException($"No console formatter is named '{name}'.");
                break;
            default:
                throw new InvalidOperationException($"The host binds nothing at '{path}'.");
        }
    }

    /// <summary>The environment keys of every settable scalar property of <paramref name="type"/>, nested objects included.</summary>
    /// <summary>Every setting a section binds, a list of values as its first item (Key__0).</summary>
    private static IEnumerable<string> SettingKeys(string prefix, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .SelectMany(p => p.PropertyType == typeof(string) || p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null
                ? [$"{prefix}__{p.Name}"]
                : p.PropertyType == typeof(List<string>)
                    ? [$"{prefix}__{p.Name}__0"]
                    : SettingKeys($"{prefix}__{p.Name}", p.PropertyType));

    private static TimeSpan Seconds(Match match, string what)
    {
        Assert.True(match.Success, $"No {what}.");
        return TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<(int ExitCode, string Output)> SystemdAnalyzeAsync(params string[] arguments)
    {
        ProcessStartInfo info = new("systemd-analyze", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("systemd-analyze is not installed: run deploy/dev/install-prerequisites.sh (Debian's systemd package).");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, errors + await output);
        }
    }

    [GeneratedRegex(@"^#?([A-Za-z][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex Setting();

    [GeneratedRegex(@"Password=([^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?m)^TimeoutStopSec=(\d+)s?$")]
    private static partial Regex UnitSetting();

    [GeneratedRegex(@"(?m)^\s*stop_grace_period:\s*(\d+)s\s*$")]
    private static partial Regex ComposeStopGrace();
}
