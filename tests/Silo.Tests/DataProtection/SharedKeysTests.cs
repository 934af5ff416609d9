using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareTwin.Silo.Tests.Listeners;
using CareTwin.Testing;
using Npgsql;

namespace CareTwin.Silo.Tests.DataProtection;

/// <summary>
/// Two CareTwin nodes behind one load balancer share their database, so a person signed in on one stays signed in on
/// the other, and a form loaded from one may be posted to the other. Each node is its own process with its own $HOME
/// (where ASP.NET Core would otherwise keep its keys), as on two machines. Both run localhost clustering, so they are
/// two one-node Orleans clusters on one database: enough for the web's keys, which live in the store.
/// </summary>
public sealed partial class SharedKeysTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_sign_in_and_a_form_from_one_node_are_honoured_by_another_node_on_the_same_PostgreSQL_and_the_stored_keys_are_encrypted()
    {
        await using var schema = await postgres.CreateSchemaAsync();
        using var certificate = new TestCertificate();
        var data = ScratchDirectory.Create("caretwin-keys-");
        try
        {
            await using var nodeA = await StartNodeAsync(Path.Combine(data, "a"), schema, certificate);
            await using var nodeB = await StartNodeAsync(Path.Combine(data, "b"), schema, certificate);

            // Signed in on A, the next request lands on B: B shows the board, not the sign-in page.
            var signedInOnA = await RawHubClient.SignInAsync(nodeA.WebAddress, "coordinator");
            using (var onB = Browser(nodeB.WebAddress, Carry(signedInOnA, nodeA.WebAddress, nodeB.WebAddress)))
            {
                using var board = await onB.GetAsync("/board");
                Assert.True(board.StatusCode == HttpStatusCode.OK, $"Node B answered {(int)board.StatusCode} {board.Headers.Location} to node A's session.");
                Assert.Contains("Priya Shah", await board.Content.ReadAsStringAsync());
            }

            // The sign-in form loaded from A, posted to B: B accepts its anti-forgery token and signs the person in.
            var browserCookies = new CookieContainer();
            string token;
            using (var onA = Browser(nodeA.WebAddress, browserCookies))
                token = TokenField().Match(await onA.GetStringAsync("/sign-in")).Groups["value"].Value;
            using (var onB = Browser(nodeB.WebAddress, Carry(browserCookies, nodeA.WebAddress, nodeB.WebAddress)))
            {
                using var posted = await onB.PostAsync("/sign-in/demo", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["user"] = "housing-officer",
                    ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                }));
                Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"Node B answered {(int)posted.StatusCode} to a form from node A.");
                Assert.Equal("/services/housing.eastmarsh", posted.Headers.Location?.OriginalString);
            }

            // At rest every key is encrypted with the certificate: no master key in clear.
            var keys = await StoredKeysAsync(schema);
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("<EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml);
            });
            Assert.All(new[] { nodeA, nodeB }, node => Assert.DoesNotContain(node.Output.Select(Record).OfType<JsonElement>(), IsDataProtectionError));
        }
        finally
        {
            ScratchDirectory.Remove(data);
        }
    }

    private static async Task<SiloProcess> StartNodeAsync(string directory, PostgresSchema schema, TestCertificate certificate)
    {
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        var node = SiloProcess.Start(SiloProcess.BesideTests, directory, new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(directory, "home"),
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = schema.ConnectionString,
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "0",
            ["Api__DemoKeysFile"] = Path.Combine(directory, "demo-api-keys.json"),
            ["DataProtection__CertificatePath"] = certificate.PfxPath,
            ["DataProtection__CertificatePassword"] = TestCertificate.Password,
        });
        try
        {
            await node.WaitUntilListeningAsync(StartLimit);
            // Loaded before the next node starts or the test begins, so neither node's demo loader races the other.
            await node.WaitUntilDemoRegionLoadedAsync(StartLimit);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private static HttpClient Browser(Uri site, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The browser's cookies for one node, as it sends them to the other behind the same address.</summary>
    private static CookieContainer Carry(CookieContainer cookies, Uri from, Uri to)
    {
        var carried = new CookieContainer();
        foreach (Cookie cookie in cookies.GetCookies(from)) carried.Add(to, new Cookie(cookie.Name, cookie.Value));
        Assert.NotEmpty(carried.GetCookies(to));
        return carried;
    }

    private static async Task<List<string>> StoredKeysAsync(PostgresSchema schema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT xml FROM data_protection_key ORDER BY id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    private static bool IsDataProtectionError(JsonElement record) =>
        record.TryGetProperty("Category", out var category) && category.GetString()!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)
        && record.TryGetProperty("LogLevel", out var level) && level.GetString() is "Error" or "Critical";

    private static JsonElement? Record(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();
}
