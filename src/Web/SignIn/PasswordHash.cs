using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Web.SignIn;

/// <summary>
/// Staff passwords as "pbkdf2-sha256${iterations}${salt base64}${hash base64}" (PBKDF2-HMAC-SHA256, 32-byte key),
/// so configuration holds no password. Make one with <see cref="Create"/> or any PBKDF2 tool, e.g.
/// <c>python3 -c "import hashlib,os,base64,getpass;s=os.urandom(16);p=getpass.getpass().encode();print('pbkdf2-sha256$600000$'+base64.b64encode(s).decode()+'$'+base64.b64encode(hashlib.pbkdf2_hmac('sha256',p,s,600000)).decode())"</c>.
/// </summary>
public static class PasswordHash
{
    private const string Prefix = "pbkdf2-sha256";
    public const int DefaultIterations = 600_000;
    private const int MinIterations = 100_000;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Join('$', Prefix, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True only for a well-formed hash of this password; a malformed hash never matches.</summary>
    public static bool Matches(string password, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Prefix, var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinIterations)
            return false;
        try
        {
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltText), iterations, HashAlgorithmName.SHA256, expected.Length);
            return expected.Length >= 16 && CryptographicOperations.FixedTimeEquals(expected, actual);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Something to compare against when the user name is unknown, so the answer takes as long either way.</summary>
    internal static string Decoy => LazyDecoy.Value;

    private static readonly Lazy<string> LazyDecoy = new(() => Create(Guid.NewGuid().ToString()));
}
