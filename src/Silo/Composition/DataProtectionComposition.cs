using System.Security.Cryptography.X509Certificates;
using CareTwin.Storage;
using CareTwin.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace CareTwin.Silo.Composition;

/// <summary>
/// How the web's data-protection keys (behind the sign-in cookie and the anti-forgery tokens) are protected at rest
/// (section "DataProtection"). The keys themselves always live in the configured store, shared by every node on it.
/// </summary>
public sealed class DataProtectionSettings
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 file (.pfx/.p12), or a PEM certificate when <see cref="CertificateKeyPath"/> is set, whose key encrypts the keys. Every node needs the same one.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key that goes with a PEM <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the PEM key's password when it is encrypted.</summary>
    public string? CertificatePassword { get; set; }

    public bool EncryptsKeys => !string.IsNullOrEmpty(CertificatePath);
}

internal static class DataProtectionComposition
{
    /// <summary>
    /// Every node's application name, so all of them derive the same protectors from the shared keys. (By default
    /// ASP.NET Core uses the content root, which differs between installations.) Changing it signs everyone out.
    /// </summary>
    public const string ApplicationName = "CareTwin";

    /// <summary>
    /// ASP.NET Core's data protection with its key ring in the store (<see cref="StoredXmlRepository"/>) rather than
    /// the default folder under $HOME, which is each machine's own: without this, a cluster behind a load balancer signs
    /// people out and refuses their forms whenever a request reaches another node. With a certificate configured each
    /// key is encrypted with it before it is stored; without one, a warning at start says the keys are stored in clear.
    /// </summary>
    public static void AddSharedDataProtection(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DataProtectionSettings.SectionName).Get<DataProtectionSettings>() ?? new DataProtectionSettings();
        var storage = builder.Configuration.GetSection(StorageSettings.SectionName).Get<StorageSettings>() ?? new StorageSettings();
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IStorageProvider>((options, store) => options.XmlRepository = new StoredXmlRepository(store));

        X509Certificate2? certificate = null;
        if (settings.EncryptsKeys)
        {
            certificate = CertificateFiles.Load(DataProtectionSettings.SectionName, settings.CertificatePath!, settings.CertificateKeyPath, settings.CertificatePassword);
            if (!certificate.HasPrivateKey)
                throw new InvalidOperationException($"DataProtection:CertificatePath '{settings.CertificatePath}' has no private key; the keys could be encrypted but never read back. Give the PKCS#12 file with its key, or DataProtection:CertificateKeyPath.");
            protection.ProtectKeysWithCertificate(certificate);
        }
        var demo = builder.DemoSettings().Enabled;
        builder.Services.AddHostedService(sp => new DataProtectionNotice(storage.Provider, certificate?.Thumbprint, demo, sp.GetRequiredService<ILogger<DataProtectionNotice>>()));
    }
}

/// <summary>Says once, at start, where the keys are and whether they are encrypted.</summary>
internal sealed class DataProtectionNotice(string store, string? thumbprint, bool demo, ILogger<DataProtectionNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (thumbprint is not null)
            logger.LogInformation("Data-protection keys (sign-in cookies, form tokens) are kept in the {Store} store, shared by every node on it, encrypted with certificate {Thumbprint}",
                store, thumbprint);
        else if (demo)
            logger.LogWarning("Demo mode: data-protection keys (sign-in cookies, form tokens) are kept unencrypted in the {Store} store. Set DataProtection:CertificatePath to encrypt them",
                store);
        else
            logger.LogWarning(
                "Data-protection keys (sign-in cookies, form tokens) are kept UNENCRYPTED in the {Store} store: whoever can read the database can forge a sign-in. " +
                "Set DataProtection:CertificatePath (a PKCS#12 file, or PEM with DataProtection:CertificateKeyPath), the same certificate on every node, to encrypt them",
                store);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
