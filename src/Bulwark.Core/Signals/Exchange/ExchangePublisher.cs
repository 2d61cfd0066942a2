using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Exchange;

public sealed record PublicationView(string Name, string Bank, IReadOnlyList<string> Labels, string? Description, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? WithdrawnAt);

/// <summary>One entry of a published exchange; <see cref="Deleted"/>: withdrawn (disabled) since it was published.</summary>
public sealed record FeedEntry(string Id, string SignalType, string Value, IReadOnlyList<string> Labels, string? Entity, bool Deleted);

/// <summary>
/// A page of a published exchange (format <c>bulwark-exchange/1</c>): entries changed after <see cref="Checkpoint"/>'s
/// predecessor, in change order. The page's bytes are signed (ECDSA P-256, SHA-256, the signature in the
/// <c>Bulwark-Signature</c> header), so a consumer can check who published it.
/// </summary>
public sealed record FeedPage(string Format, string Exchange, IReadOnlyList<string> Labels, IReadOnlyList<FeedEntry> Entries, string Checkpoint, bool More);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FeedPage))]
internal sealed partial class FeedJson : JsonSerializerContext;

/// <summary>
/// Bulwark as a source (a policy admin's choice, audited): a bank published as a named, labelled exchange that other
/// Bulwark instances and any client of the documented format pull incrementally. The checkpoint is
/// <c>&lt;ticks&gt;.&lt;entry id&gt;</c> of the last entry served; entries changed later (added, enabled, disabled) come after it.
/// </summary>
public sealed class ExchangePublisher(IBulwarkDbFactory dbs, ExchangeOptions options, TimeProvider clock, AuditLog audit)
{
    public const string Format = "bulwark-exchange/1";
    public const string SignatureHeader = "Bulwark-Signature";
    private ECDsa? _key;
    private readonly Lock _keyLock = new();

    public async Task<PublicationView> PublishAsync(string name, string bank, IReadOnlyList<string>? labels, string? description, string actor, CancellationToken ct)
    {
        if (!ExchangeNames.IsValid(name)) throw new ArgumentException("name must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-'.", nameof(name));
        var clean = (labels ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct().ToList();
        if (clean.Any(l => l.Length > 200)) throw new ArgumentException("each label is at most 200 characters.", nameof(labels));
        if (description is { Length: > 1000 }) throw new ArgumentException("description must be at most 1000 characters.", nameof(description));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await db.Banks.AnyAsync(b => b.Name == bank, ct)) throw new KeyNotFoundException($"No bank named '{bank}'.");
        if (await db.Set<ExchangePublicationRow>().AnyAsync(p => p.Name == name, ct)) throw new InvalidOperationException($"An exchange named '{name}' is already published.");
        var row = new ExchangePublicationRow { Name = name, Bank = bank, LabelsJson = JsonSerializer.Serialize(clean, IngestJson.Default.ListString), Description = description, CreatedBy = actor, CreatedAt = clock.GetUtcNow() };
        db.Set<ExchangePublicationRow>().Add(row);
        await audit.AppendAsync(db, [new AuditRecord(actor, "exchange.published", $"exchange-feed:{name}", After: $"bank {bank}; labels {string.Join(",", clean)}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(row);
    }

    public async Task WithdrawAsync(string name, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<ExchangePublicationRow>().FirstOrDefaultAsync(p => p.Name == name && p.WithdrawnAt == null, ct) ?? throw new KeyNotFoundException($"No published exchange named '{name}'.");
        row.WithdrawnAt = clock.GetUtcNow();
        await audit.AppendAsync(db, [new AuditRecord(actor, "exchange.withdrawn", $"exchange-feed:{name}", Before: $"bank {row.Bank}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<PublicationView>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return (await db.Set<ExchangePublicationRow>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct)).Select(View).ToList();
    }

    /// <summary>The page after <paramref name="checkpoint"/> as signed bytes; throws <see cref="KeyNotFoundException"/> for an unknown or withdrawn exchange.</summary>
    public async Task<(byte[] Body, string Signature)> PageAsync(string name, string? checkpoint, int limit, CancellationToken ct)
    {
        long ticks = 0, after = 0;
        if (!string.IsNullOrEmpty(checkpoint))
        {
            var parts = checkpoint.Split('.');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ticks) || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out after))
                throw new ArgumentException($"checkpoint '{checkpoint}' is not one this exchange gave out (<ticks>.<id>).", nameof(checkpoint));
        }
        limit = Math.Clamp(limit, 1, 5000);
        await using var db = dbs.Create();
        var pub = await db.Set<ExchangePublicationRow>().AsNoTracking().FirstOrDefaultAsync(p => p.Name == name && p.WithdrawnAt == null, ct)
            ?? throw new KeyNotFoundException($"No published exchange named '{name}'.");
        var bank = await db.Banks.AsNoTracking().FirstAsync(b => b.Name == pub.Bank, ct);
        var since = new DateTimeOffset(ticks, TimeSpan.Zero);
        var rows = await db.BankEntries.AsNoTracking().Where(e => e.BankId == bank.Id && (e.UpdatedAt > since || (e.UpdatedAt == since && e.Id > after)))
            .OrderBy(e => e.UpdatedAt).ThenBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var next = rows.Count == 0 ? (checkpoint ?? "0.0") : string.Create(CultureInfo.InvariantCulture, $"{rows[^1].UpdatedAt.UtcTicks}.{rows[^1].Id}");
        var pubLabels = JsonSerializer.Deserialize(pub.LabelsJson, IngestJson.Default.ListString) ?? [];
        var page = new FeedPage(Format, name, pubLabels, rows.Select(e => new FeedEntry(e.Id.ToString(CultureInfo.InvariantCulture), e.SignalType,
            e.Payload is { } payload && e.SignalType == KnownContent.KnownSignalTypes.Vpdq ? payload : e.Value,
            (JsonSerializer.Deserialize(e.LabelsJson, IngestJson.Default.ListString) ?? []).Concat(pubLabels).Distinct().ToList(), e.Entity, !e.Enabled)).ToList(), next, more);
        var body = JsonSerializer.SerializeToUtf8Bytes(page, FeedJson.Default.FeedPage);
        return (body, Sign(body));
    }

    public string Sign(byte[] body) => "ecdsa-p256-sha256;sig=" + Convert.ToBase64String(Key().SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>The public key consumers configure (PEM, SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem() => Key().ExportSubjectPublicKeyInfoPem();

    public static bool Verify(byte[] body, string? header, string publicKeyPem)
    {
        if (header is null || !header.StartsWith("ecdsa-p256-sha256;sig=", StringComparison.Ordinal)) return false;
        byte[] sig;
        try { sig = Convert.FromBase64String(header["ecdsa-p256-sha256;sig=".Length..]); }
        catch (FormatException) { return false; }
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return key.VerifyData(body, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private ECDsa Key()
    {
        lock (_keyLock)
        {
            if (_key is not null) return _key;
            var path = Path.GetFullPath(options.SigningKeyPath);
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            if (File.Exists(path)) key.ImportFromPem(File.ReadAllText(path));
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem(), Encoding.ASCII);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            return _key = key;
        }
    }

    private static PublicationView View(ExchangePublicationRow r) =>
        new(r.Name, r.Bank, JsonSerializer.Deserialize(r.LabelsJson, IngestJson.Default.ListString) ?? [], r.Description, r.CreatedBy, r.CreatedAt, r.WithdrawnAt);
}

/// <summary>
/// Another Bulwark's published exchange (format <c>bulwark-exchange/1</c>): pages pulled with <c>?checkpoint=</c>, each
/// page's signature checked against the configured public key before anything is applied. Takes no opinions (yet).
/// </summary>
public sealed class BulwarkFeedExchange : ISignalExchange
{
    public string Kind => ExchangeKinds.Bulwark;
    public bool TakesOpinions => false;

    public async Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct)
    {
        var p = call.Partner;
        var sep = p.Url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{p.Url}{sep}checkpoint={Uri.EscapeDataString(checkpoint ?? "")}");
        if (p.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        using var response = await call.Http.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var what = $"Bulwark exchange {p.Name}";
        ExchangeHttp.Ensure(response, body, what);
        var signature = response.Headers.TryGetValues(ExchangePublisher.SignatureHeader, out var values) ? values.FirstOrDefault() : null;
        if (!ExchangePublisher.Verify(body, signature, p.PublicKey!))
            throw new ExchangeFetchException($"{what}: the page's signature does not verify with the configured public key; nothing was applied", retryable: false);
        FeedPage? page;
        try { page = JsonSerializer.Deserialize(body, FeedJson.Default.FeedPage); }
        catch (JsonException ex) { throw new ExchangeFetchException($"malformed page from {what} ({ex.Message})"); }
        if (page is null || page.Format != ExchangePublisher.Format || page.Entries is null || string.IsNullOrEmpty(page.Checkpoint))
            throw new ExchangeFetchException($"malformed page from {what}: not a {ExchangePublisher.Format} page");
        var deltas = page.Entries.Select(e => e.Deleted
            ? new ExchangeDelta(e.Id, DeltaKind.Delete, [], [])
            : new ExchangeDelta(e.Id, DeltaKind.Upsert, [new ExchangeSignal(e.SignalType, e.Value)], (e.Labels ?? []).ToList(), e.Entity)).ToList();
        return new ExchangePage(deltas, page.Checkpoint, page.More);
    }

    public Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<OpinionResult>>(opinions.Select(o => new OpinionResult(o.FeedbackId, false, "a Bulwark exchange takes no opinions yet", false)).ToList());
}
