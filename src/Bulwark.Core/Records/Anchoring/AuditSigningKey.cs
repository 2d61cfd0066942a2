using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Actions.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using NSec.Cryptography;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>
/// The Ed25519 key that signs audit checkpoints, kept in the key ring folder (<c>Bulwark:Webhooks:KeysPath</c>) beside the
/// ASP.NET Data Protection keys: the private key is stored encrypted by Data Protection, as webhook secrets are, and the
/// public key in the clear so it can be handed to whoever verifies. Created on first use; shared by the server and the CLI.
/// </summary>
public sealed class AuditSigningKey(WebhookOptions keyRing, IDataProtectionProvider protection)
{
    public const string FileName = "audit-checkpoint-ed25519.json";
    private readonly IDataProtector _protector = protection.CreateProtector("Bulwark.Audit.CheckpointKey.v1");
    private readonly Lock _gate = new();
    private Key? _key;
    private AuditPublicKey? _public;

    public string Path => System.IO.Path.Combine(System.IO.Path.GetFullPath(keyRing.KeysPath), FileName);

    private sealed record StoredKey(
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("publicKey")] string PublicKey,
        [property: JsonPropertyName("protectedPrivateKey")] string ProtectedPrivateKey);

    /// <summary>The public key, or null when no key has been created yet (nothing was signed).</summary>
    public AuditPublicKey? PublicKeyIfExists()
    {
        lock (_gate)
        {
            if (_public is not null) return _public;
            if (!File.Exists(Path)) return null;
            Load();
            return _public;
        }
    }

    /// <summary>Signs a checkpoint of entry <paramref name="seq"/>, creating the key on first use.</summary>
    public AuditCheckpoint Sign(long seq, long count, string hash, DateTimeOffset time)
    {
        lock (_gate)
        {
            if (_key is null)
            {
                if (!File.Exists(Path)) Create();
                Load();
            }
            var t = AuditCheckpoint.FormatTime(time);
            var data = AuditCheckpoint.SignedBytes(AuditCheckpoint.CurrentVersion, seq, count, hash, t, _public!.Id);
            var signature = SignatureAlgorithm.Ed25519.Sign(_key!, data);
            return new AuditCheckpoint(AuditCheckpoint.CurrentVersion, seq, count, hash, t, _public.Id, Convert.ToBase64String(signature));
        }
    }

    public AuditPublicKey PublicKey
    {
        get
        {
            lock (_gate)
            {
                if (_public is null)
                {
                    if (!File.Exists(Path)) Create();
                    Load();
                }
                return _public!;
            }
        }
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
        // Another process (the CLI, a second node) may have created it meanwhile: the first key stays.
        try { File.Move(temp, Path, overwrite: false); }
        catch (IOException) when (File.Exists(Path)) { File.Delete(temp); }
    }

    private void Load()
    {
        StoredKey stored;
        try { stored = JsonSerializer.Deserialize<StoredKey>(File.ReadAllText(Path)) ?? throw new InvalidDataException("empty"); }
        catch (JsonException ex) { throw new InvalidDataException($"the audit signing key {Path} is not readable: {ex.Message}", ex); }
        byte[] raw;
        try { raw = _protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey)); }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidDataException($"the audit signing key {Path} cannot be decrypted with this key ring ({ex.Message}); restore the key ring or move the key away to start a new one", ex);
        }
        try
        {
            _key = Key.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPrivateKey);
            // The public key is derived from the private one, so a public key edited in the file cannot mislead.
            _public = new AuditPublicKey(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
        finally { System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw); }
    }
}
