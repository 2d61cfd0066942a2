using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records.Anchoring;
using NSec.Cryptography;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>The detached signature file of a package: Ed25519 over the exact bytes of <c>manifest.json</c>.</summary>
public sealed record ManifestSignature(
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("publicKey")] string PublicKey,
    [property: JsonPropertyName("signedFile")] string SignedFile,
    [property: JsonPropertyName("signature")] string Signature);

/// <summary>
/// The package as a zip: <c>manifest.json</c> (signed bytes), <c>manifest.sig.json</c>, <c>summary.html</c>, <c>media/SHA256</c>
/// copies and <c>README.txt</c> (how to verify). Entries carry a fixed timestamp so the same referral exports to the same bytes.
/// </summary>
public static class ReferralPackage
{
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig.json";
    public const string SummaryFile = "summary.html";
    public const string ReadmeFile = "README.txt";
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string MediaPath(string sha256) => "media/" + sha256;

    public static async Task WriteAsync(Stream output, ReferralRow r, IMediaStore media, CancellationToken ct)
    {
        if (r.ManifestJson is null || r.Signature is null || r.SummaryHtml is null || r.KeyId is null)
            throw new InvalidOperationException($"Referral {r.Reference} has no signed package yet (it is a draft).");
        var manifest = ReferralManifest.Parse(Encoding.UTF8.GetBytes(r.ManifestJson)) ?? throw new InvalidDataException($"Referral {r.Reference}: stored manifest unreadable");
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await AddAsync(zip, ManifestFile, Encoding.UTF8.GetBytes(r.ManifestJson), ct);
        await AddAsync(zip, SignatureFile, JsonSerializer.SerializeToUtf8Bytes(SignatureOf(r), Json), ct);
        await AddAsync(zip, SummaryFile, Encoding.UTF8.GetBytes(r.SummaryHtml), ct);
        await AddAsync(zip, ReadmeFile, Encoding.UTF8.GetBytes(Readme(r)), ct);
        foreach (var m in manifest.Media.Where(m => m.File is not null && m.Sha256 is not null).DistinctBy(m => m.Sha256))
        {
            await using var source = media.OpenRead(m.Sha256!)
                ?? throw new InvalidDataException($"Referral {r.Reference}: media {m.Sha256} was copied into the package when it was signed but is no longer in the media store");
            var entry = zip.CreateEntry(m.File!, CompressionLevel.NoCompression);
            entry.LastWriteTime = EntryTime;
            await using var target = await entry.OpenAsync(ct);
            await source.CopyToAsync(target, ct);
        }
    }

    public static ManifestSignature SignatureOf(ReferralRow r) =>
        new("Ed25519", r.KeyId!, r.SignerPublicKey ?? "", ManifestFile, r.Signature!);

    private static async Task AddAsync(ZipArchive zip, string name, byte[] bytes, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        await using var s = await entry.OpenAsync(ct);
        await s.WriteAsync(bytes, ct);
    }

    private static string Readme(ReferralRow r) => $"""
        Referral {r.Reference} (DSA Art. 18), exported by Bulwark.

        manifest.json      the referral (schema {ReferralManifest.SchemaId} version {ReferralManifest.CurrentVersion}); its "files" and "media"
                           entries give the SHA-256 of summary.html and of every copy under media/
        manifest.sig.json  Ed25519 signature (base64) over the exact bytes of manifest.json, the signer's public key (base64, raw 32 bytes) and its id
        summary.html       the same, for reading

        To check it: `bulwark authorities referrals verify THIS.zip --public-key KEY`, with KEY obtained from the platform
        through another channel (`bulwark authorities referrals public-key` prints it). Without Bulwark: verify the signature
        over manifest.json with any Ed25519 implementation (RFC 8032), then compare `sha256sum summary.html media/*` with the manifest.
        """;

    /// <summary>
    /// Checks a package: the signature over manifest.json with <paramref name="trustedKey"/> (or, when null, the key the package
    /// names, which proves integrity but not origin), and the SHA-256 of every file the manifest lists. Returns the findings
    /// (empty = valid).
    /// </summary>
    public static async Task<ReferralVerification> VerifyAsync(Stream zipStream, string? trustedKey, CancellationToken ct)
    {
        var findings = new List<string>();
        ZipArchive zip;
        try { zip = new ZipArchive(zipStream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException ex) { return new ReferralVerification(null, null, false, [$"not a zip file: {ex.Message}"]); }
        using (zip)
        {
            var manifestBytes = await ReadAsync(zip, ManifestFile, ct);
            var sigBytes = await ReadAsync(zip, SignatureFile, ct);
            if (manifestBytes is null) findings.Add($"{ManifestFile} is missing");
            if (sigBytes is null) findings.Add($"{SignatureFile} is missing");
            if (manifestBytes is null || sigBytes is null) return new ReferralVerification(null, null, false, findings);
            ManifestSignature? sig = null;
            try { sig = JsonSerializer.Deserialize<ManifestSignature>(sigBytes, Json); }
            catch (JsonException ex) { findings.Add($"{SignatureFile} is not readable: {ex.Message}"); }
            var keyText = trustedKey ?? sig?.PublicKey;
            var trusted = trustedKey is not null;
            if (sig is not null && keyText is not null)
            {
                if (!TryKey(keyText, out var key)) findings.Add("the public key is not a base64 Ed25519 key (32 bytes)");
                else if (!TryBase64(sig.Signature, out var signature) || !SignatureAlgorithm.Ed25519.Verify(key!.Key, manifestBytes, signature))
                    findings.Add(trusted ? "the signature does not match manifest.json with the trusted key (altered, or signed by another key)" : "the signature does not match manifest.json");
            }
            var manifest = ReferralManifest.Parse(manifestBytes);
            if (manifest is null) { findings.Add($"{ManifestFile} is not a readable manifest"); return new ReferralVerification(null, sig?.KeyId, trusted, findings); }
            foreach (var f in manifest.Files) await CheckAsync(zip, f.Path, f.Sha256, findings, ct);
            foreach (var m in manifest.Media.Where(m => m.File is not null)) await CheckAsync(zip, m.File!, m.Sha256!, findings, ct);
            var listed = manifest.Files.Select(f => f.Path).Concat(manifest.Media.Where(m => m.File is not null).Select(m => m.File!))
                .Concat([ManifestFile, SignatureFile, ReadmeFile]).ToHashSet(StringComparer.Ordinal);
            foreach (var extra in zip.Entries.Where(e => !listed.Contains(e.FullName))) findings.Add($"{extra.FullName} is in the zip but not in the manifest");
            return new ReferralVerification(manifest.Reference, sig?.KeyId, trusted, findings);
        }
    }

    private static async Task CheckAsync(ZipArchive zip, string path, string sha256, List<string> findings, CancellationToken ct)
    {
        var entry = zip.GetEntry(path);
        if (entry is null) { findings.Add($"{path} is listed in the manifest but missing"); return; }
        await using var s = await entry.OpenAsync(ct);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase)) findings.Add($"{path} has SHA-256 {actual}, the manifest says {sha256}");
    }

    private static async Task<byte[]?> ReadAsync(ZipArchive zip, string name, CancellationToken ct)
    {
        var entry = zip.GetEntry(name);
        if (entry is null) return null;
        await using var s = await entry.OpenAsync(ct);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, ct);
        return ms.ToArray();
    }

    private static bool TryKey(string text, out AuditPublicKey? key)
    {
        key = null;
        if (!TryBase64(text.Trim(), out var raw) || raw.Length != 32) return false;
        try { key = new AuditPublicKey(raw); return true; }
        catch (FormatException) { return false; }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 + 3) / 4];
        if (Convert.TryFromBase64String(text, bytes, out var n)) { bytes = bytes[..n]; return true; }
        return false;
    }
}

/// <summary>The outcome of <see cref="ReferralPackage.VerifyAsync"/>: valid when there are no findings; <see cref="Trusted"/> when checked against a key given by the caller.</summary>
public sealed record ReferralVerification(string? Reference, string? KeyId, bool Trusted, IReadOnlyList<string> Findings)
{
    public bool Valid => Findings.Count == 0;
}
