using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NSec.Cryptography;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>
/// A signed statement "the audit chain's entry <see cref="Seq"/> has hash <see cref="Hash"/>" (and so every entry before it,
/// since each hash covers its predecessor's), made at <see cref="Time"/> with the key <see cref="KeyId"/>. One JSON line of a
/// checkpoint file, or the body of a POST.
/// </summary>
public sealed record AuditCheckpoint(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("time")] string Time,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("signature")] string Signature)
{
    public const int CurrentVersion = 1;

    /// <summary>The bytes that are signed: every field but the signature, in a fixed order, under a domain prefix.</summary>
    public static byte[] SignedBytes(int version, long seq, long count, string hash, string time, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"bulwark-audit-checkpoint\n{version}\n{seq}\n{count}\n{hash}\n{time}\n{keyId}"));

    public byte[] SignedBytes() => SignedBytes(Version, Seq, Count, Hash, Time, KeyId);

    /// <summary>Times are written to the millisecond in UTC, and the text is what is signed.</summary>
    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Whether the signature is the trusted key's signature of these fields.</summary>
    public bool IsSignedBy(AuditPublicKey key)
    {
        if (KeyId != key.Id) return false;
        byte[] signature;
        try { signature = Convert.FromBase64String(Signature); }
        catch (FormatException) { return false; }
        return SignatureAlgorithm.Ed25519.Verify(key.Key, SignedBytes(), signature);
    }
}

/// <summary>The first line of a checkpoint file: what it is and the key that signs it (informational: a verifier trusts a key it was given).</summary>
public sealed record AuditCheckpointHeader(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("publicKey")] string PublicKey)
{
    public const string FileType = "bulwark-audit-checkpoints";
}

/// <summary>An Ed25519 public key, with its id (the first 8 bytes of the SHA-256 of the raw key, in hex).</summary>
public sealed class AuditPublicKey
{
    public PublicKey Key { get; }
    public string Id { get; }
    /// <summary>The raw 32-byte key in base64: what <c>bulwark audit public-key</c> prints and <c>--public-key</c> takes.</summary>
    public string Base64 { get; }

    public AuditPublicKey(ReadOnlySpan<byte> raw)
    {
        Key = PublicKey.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey);
        Id = IdOf(raw);
        Base64 = Convert.ToBase64String(raw);
    }

    public static string IdOf(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(SHA256.HashData(raw)[..8]);

    /// <summary>Reads a base64 key; the error says what is wrong with it.</summary>
    public static bool TryParse(string text, out AuditPublicKey? key, out string error)
    {
        key = null;
        byte[] raw;
        try { raw = Convert.FromBase64String(text.Trim()); }
        catch (FormatException) { error = "not base64"; return false; }
        if (raw.Length != 32) { error = $"an Ed25519 public key is 32 bytes, this is {raw.Length}"; return false; }
        try { key = new AuditPublicKey(raw); }
        catch (FormatException) { error = "not a valid Ed25519 public key"; return false; }
        error = "";
        return true;
    }
}
