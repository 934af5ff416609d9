using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CareTwin.Silo.Composition;

/// <summary>A certificate with its private key from the files a setting names: PKCS#12, or PEM with a separate key.</summary>
internal static class CertificateFiles
{
    /// <param name="section">The settings' section, for messages ("Listeners", "DataProtection").</param>
    /// <param name="path">A PKCS#12 file (.pfx/.p12), or a PEM certificate when <paramref name="keyPath"/> is set.</param>
    /// <param name="keyPath">The PEM private key that goes with a PEM certificate.</param>
    /// <param name="password">The PKCS#12 password, or the PEM key's password when it is encrypted.</param>
    public static X509Certificate2 Load(string section, string path, string? keyPath, string? password)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{section}:CertificatePath '{path}' does not exist.");
        if (!string.IsNullOrEmpty(keyPath) && !File.Exists(keyPath))
            throw new InvalidOperationException($"{section}:CertificateKeyPath '{keyPath}' does not exist.");
        try
        {
            if (string.IsNullOrEmpty(keyPath))
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (CryptographicException ex)
        {
            // A wrong password or a file that is not what it says; never echo the password.
            throw new InvalidOperationException($"{section}:CertificatePath '{path}' could not be loaded: {ex.Message}", ex);
        }
    }
}
