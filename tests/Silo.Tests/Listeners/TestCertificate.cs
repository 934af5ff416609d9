using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>A self-signed certificate for localhost/127.0.0.1, written as PKCS#12 and as PEM to a temp folder.</summary>
public sealed class TestCertificate : IDisposable
{
    public const string Password = "test-only";

    private readonly string _folder = Directory.CreateTempSubdirectory("caretwin-cert-").FullName;

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        File.WriteAllBytes(PfxPath, Certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(PemPath, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }

    public string PfxPath => Path.Combine(_folder, "server.pfx");

    /// <summary>The certificate alone: what a client trusts.</summary>
    public string PemPath => Path.Combine(_folder, "server.crt");

    public string KeyPemPath => Path.Combine(_folder, "server.key");

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
