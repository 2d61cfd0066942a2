using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Records.Anchoring;
using Microsoft.AspNetCore.DataProtection;
using NSec.Cryptography;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// The Ed25519 key that signs referral manifests. It lives in the key ring folder (<c>Bulwark:Webhooks:KeysPath</c>) beside
/// the audit checkpoint key, stored the same way (private key encrypted with Data Protection, created on first use, shared by
/// server and CLI), but it is a key of its own: a recipient who trusts it for referrals trusts nothing else Bulwark signs.
/// </summary>
public sealed class ReferralSigningKey(WebhookOptions keyRing, IDataProtectionProvider protection)
{
    public const string FileName = "referral-manifest-ed25519.json";
    private readonly IDataProtector _protector = protection.CreateProtector("Bulwark.Authorities.ReferralKey.v1");
    private readonly Lock _gate = new();
    private Key? _key;
    private AuditPublicKey? _public;

    public string Path => System.IO.Path.Combine(System.IO.Path.GetFullPath(keyRing.KeysPath), FileName);

    private sealed record StoredKey(
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("publicKey")] string PublicKey,
        [property: JsonPropertyName("protectedPrivateKey")] string ProtectedPrivateKey);

    /// <summary>Signs <paramref name="data"/> as is (no prefix), so any Ed25519 tool can check it; creates the key on first use.</summary>
    public (string Signature, AuditPublicKey Key) Sign(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            Ensure();
            return (Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key!, data)), _public!);
        }
    }

    public AuditPublicKey PublicKey
    {
        get
        {
            lock (_gate)
            {
                Ensure();
                return _public!;
            }
        }
    }

    private void Ensure()
    {
        if (_key is not null) return;
        if (!File.Exists(Path)) Create();
        Load();
    }

    private void Create()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var raw = key.Export(KeyBlobFormat.RawPrivateKey);
        var pub = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var stored = new StoredKey("Ed25519", AuditPublicKey.IdOf(pub), Convert.ToBase64String(pub), Convert.ToBase64String(_protector.Protect(raw)));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(stored));
        // Another process may have created it meanwhile: the first key stays.
        try { File.Move(temp, Path, overwrite: false); }
        catch (IOException) when (File.Exists(Path)) { File.Delete(temp); }
    }

    private void Load()
    {
        StoredKey stored;
        try { stored = JsonSerializer.Deserialize<StoredKey>(File.ReadAllText(Path)) ?? throw new InvalidDataException("empty"); }
        catch (JsonException ex) { throw new InvalidDataException($"the referral signing key {Path} is not readable: {ex.Message}", ex); }
        byte[] raw;
        try { raw = _protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey)); }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidDataException($"the referral signing key {Path} cannot be decrypted with this key ring ({ex.Message}); restore the key ring or move the key away to start a new one", ex);
        }
        try
        {
            _key = Key.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPrivateKey);
            _public = new AuditPublicKey(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
        finally { System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw); }
    }
}
