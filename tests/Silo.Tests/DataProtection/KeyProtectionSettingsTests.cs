using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using CareTwin.Silo.Composition;
using CareTwin.Silo.Tests.Listeners;
using CareTwin.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Silo.Tests.DataProtection;

/// <summary>
/// What an operator sees of the DataProtection settings: a warning at start while the keys are stored in clear, and
/// a certificate that cannot protect them stops the host with one line. (The hosts are built, not started.)
/// </summary>
public sealed class KeyProtectionSettingsTests : IDisposable
{
    private readonly string _data = ScratchDirectory.Create("caretwin-dp-settings-");
    private readonly TestCertificate _certificate = new();

    [Theory]
    [InlineData(true, "Demo mode: data-protection keys (sign-in cookies, form tokens) are kept unencrypted in the Sqlite store.")]
    [InlineData(false, "Data-protection keys (sign-in cookies, form tokens) are kept UNENCRYPTED in the Sqlite store: whoever can read the database can forge a sign-in.")]
    public async Task Without_a_certificate_the_host_warns_at_start_that_the_keys_are_stored_unencrypted(bool demo, string warning)
    {
        var logs = new CapturedLogs();
        await using var app = Build(logs, ("Demo:Enabled", demo ? "true" : "false"));

        await StartNoticeAsync(app);

        var line = Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.StartsWith(warning, line.Message);
        Assert.Contains("DataProtection:CertificatePath", line.Message);
        Assert.Null(app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor);
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task With_a_certificate_the_keys_are_encrypted_with_it_and_no_warning_is_logged(string format)
    {
        var logs = new CapturedLogs();
        await using var app = format == "pfx"
            ? Build(logs, ("DataProtection:CertificatePath", _certificate.PfxPath), ("DataProtection:CertificatePassword", TestCertificate.Password))
            : Build(logs, ("DataProtection:CertificatePath", _certificate.PemPath), ("DataProtection:CertificateKeyPath", _certificate.KeyPemPath));

        await StartNoticeAsync(app);

        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains(_certificate.Certificate.Thumbprint, Assert.Single(logs.Lines).Message);
        Assert.NotNull(app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor);
    }

    [Fact]
    public async Task Every_node_protects_with_the_same_application_name_wherever_it_is_installed()
    {
        await using var app = Build(new CapturedLogs());

        Assert.Equal(DataProtectionComposition.ApplicationName, app.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    [Fact]
    public void A_certificate_path_that_does_not_exist_stops_the_host_naming_the_setting()
    {
        var missing = Path.Combine(_data, "missing.pfx");

        var error = Assert.Throws<InvalidOperationException>(() => Build(new CapturedLogs(), ("DataProtection:CertificatePath", missing)));

        Assert.Equal($"DataProtection:CertificatePath '{missing}' does not exist.", error.Message);
    }

    [Fact]
    public void A_wrong_certificate_password_stops_the_host_with_one_line_that_does_not_show_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Build(new CapturedLogs(), ("DataProtection:CertificatePath", _certificate.PfxPath), ("DataProtection:CertificatePassword", "not-the-password")));

        Assert.StartsWith($"DataProtection:CertificatePath '{_certificate.PfxPath}' could not be loaded", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
        Assert.DoesNotContain('\n', error.Message.Trim());
    }

    [Fact]
    public void A_certificate_without_its_private_key_stops_the_host_as_the_keys_could_never_be_read_back()
    {
        var publicOnly = Path.Combine(_data, "public-only.pfx");
        using (var certificate = X509CertificateLoader.LoadCertificate(_certificate.Certificate.RawData))
            File.WriteAllBytes(publicOnly, certificate.Export(X509ContentType.Pfx, TestCertificate.Password));

        var error = Assert.Throws<InvalidOperationException>(() =>
            Build(new CapturedLogs(), ("DataProtection:CertificatePath", publicOnly), ("DataProtection:CertificatePassword", TestCertificate.Password)));

        Assert.Contains("has no private key", error.Message);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        ScratchDirectory.Remove(_data);
    }

    private WebApplication Build(CapturedLogs logs, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["environment"] = "Production",
            ["Storage:Sqlite:DataSource"] = Path.Combine(_data, "caretwin.db"),
            ["Api:DemoKeysFile"] = Path.Combine(_data, "demo-api-keys.json"),
        };
        foreach (var (key, value) in settings) all[key] = value;
        return CareTwinHost.Build([.. all.Select(s => $"--{s.Key}={s.Value}")], builder => builder.Logging.ClearProviders().AddProvider(logs));
    }

    /// <summary>Only the start-up notice about the keys runs: these tests need no silo and no listeners.</summary>
    private static Task StartNoticeAsync(WebApplication app) =>
        Assert.Single(app.Services.GetServices<IHostedService>().OfType<DataProtectionNotice>()).StartAsync(CancellationToken.None);

    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

        /// <summary>What the data-protection notice logged.</summary>
        public IReadOnlyList<(LogLevel Level, string Message)> Lines =>
            [.. _lines.Where(l => l.Category == typeof(DataProtectionNotice).FullName).Select(l => (l.Level, l.Message))];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
