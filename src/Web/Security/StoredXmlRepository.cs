using System.Xml.Linq;
using CareTwin.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CareTwin.Web.Security;

/// <summary>
/// ASP.NET Core's data-protection key ring (the keys behind the sign-in cookie and the anti-forgery tokens) in
/// CareTwin's store, so every node on one database reads and writes the same keys and honours what another issued.
/// The framework encrypts each key before it gets here when a certificate is configured; this only keeps the XML.
/// </summary>
/// <remarks>
/// The framework calls these synchronously, rarely: when a node starts, when a key is created (every 90 days) and
/// when its cached key ring expires (daily). The store's own calls are asynchronous, so they are waited on here.
/// </remarks>
public sealed class StoredXmlRepository(IDataProtectionKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ReadKeyElementsAsync(CancellationToken.None).GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        store.StoreKeyElementAsync(new StoredKeyElement(friendlyName, element.ToString(SaveOptions.DisableFormatting)), CancellationToken.None)
            .GetAwaiter().GetResult();
}
