using System.Security.Cryptography;
using System.Text.Json;

namespace Bulwark.Core.Ingest;

/// <summary>Canonical JSON of an event and its SHA-256, the key for "same id, identical content".</summary>
public static class EventFingerprint
{
    public static (string Json, string Fingerprint) Compute(ContentEvent e)
    {
        // The source-generated serializer writes properties in declaration order and omits nulls, so equal events give equal bytes.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(e, IngestJson.Default.ContentEvent);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return (System.Text.Encoding.UTF8.GetString(bytes), hash);
    }
}
