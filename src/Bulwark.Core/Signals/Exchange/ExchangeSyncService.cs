using System.Collections.Concurrent;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>What one synchronisation did (the stored fetch record).</summary>
public sealed record SyncResult(ExchangeFetchRow Fetch)
{
    public bool Ok => Fetch.Outcome == FetchOutcome.Ok;
}

public static class FetchOutcome
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>
/// Synchronises a partner into its bank. Pages are fetched in order from the last good checkpoint; each page is applied in
/// one transaction together with the checkpoint it leads to, so a failure (500, timeout, malformed page) loses nothing and
/// the next run resumes after the last applied page. Deltas are applied by (partner, item, signal type), so a repeated
/// page or checkpoint changes nothing twice; a delete of an item the partner never sent is counted, not applied. A stale
/// checkpoint (<see cref="ISignalExchange.IsStale"/>) or a file drop is fetched whole, and what it no longer lists is deleted.
/// Every run is recorded (<see cref="ExchangeFetchRow"/>) and audited.
/// </summary>
public sealed class ExchangeSyncService(
    IBulwarkDbFactory dbs, ExchangeOptions options, IEnumerable<ISignalExchange> exchanges, IHttpClientFactory http, TimeProvider clock,
    AuditLog audit, BankService banks, PdqIndexService index, IngestService ingest, ILogger<ExchangeSyncService> log)
{
    public const string HttpClientName = "exchanges";
    private readonly Dictionary<string, ISignalExchange> _kinds = exchanges.ToDictionary(e => e.Kind, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public ISignalExchange KindOf(ExchangePartnerOptions p) =>
        _kinds.TryGetValue(p.Kind, out var e) ? e : throw new InvalidOperationException($"No exchange implements kind '{p.Kind}'.");

    public ExchangeCall Call(ExchangePartnerOptions p)
    {
        var client = http.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        return new ExchangeCall(p, client, clock);
    }

    public bool Configured(string name) => options.Find(name) is not null;

    public ExchangePartnerOptions Partner(string name) =>
        options.Find(name) ?? throw new KeyNotFoundException($"No exchange partner named '{name}' is configured (Bulwark:Exchanges:Partners).");

    /// <summary>Fetches what the partner has after the checkpoint. A paused partner is skipped (and the skip recorded) unless <paramref name="force"/>.</summary>
    public async Task<SyncResult> SyncAsync(string name, string actor, CancellationToken ct, bool force = false)
    {
        var partner = Partner(name);
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { return await SyncLockedAsync(partner, actor, force, ct); }
        finally { gate.Release(); }
    }

    private async Task<SyncResult> SyncLockedAsync(ExchangePartnerOptions partner, string actor, bool force, CancellationToken ct)
    {
        var exchange = KindOf(partner);
        var state = await EnsureStateAsync(partner, actor, ct);
        var now = clock.GetUtcNow();
        var fetch = new ExchangeFetchRow { Exchange = partner.Name, StartedAt = now, Outcome = FetchOutcome.Ok, CheckpointBefore = state.Checkpoint };
        if (state.Status != ExchangeStatus.Active && !force)
        {
            fetch.Outcome = FetchOutcome.Skipped;
            fetch.Notes = $"{state.Status}: {state.StatusReason}";
            return new SyncResult(await RecordAsync(fetch, state: null, ct));
        }

        var checkpoint = state.Checkpoint;
        if (checkpoint is not null && exchange.IsStale(checkpoint, now))
        {
            fetch.FullRefetch = true;
            fetch.Notes = $"checkpoint from {state.CheckpointAt:u} is stale for {partner.Kind}: fetched everything again";
            checkpoint = null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var call = Call(partner);
        var complete = false;
        for (var pageNo = 0; pageNo < options.MaxPagesPerSync; pageNo++)
        {
            ExchangePage page;
            try { page = await exchange.FetchAsync(call, checkpoint, ct); }
            catch (Exception ex) when (!ct.IsCancellationRequested && Describe(ex) is { } why)
            {
                fetch.Outcome = FetchOutcome.Failed;
                fetch.Error = $"page {pageNo + 1}: {why}; resumes from checkpoint {(fetch.CheckpointAfter ?? checkpoint) ?? "(start)"}";
                log.LogWarning("Exchange {Exchange}: fetch failed: {Error}", partner.Name, fetch.Error);
                break;
            }
            fetch.FullRefetch |= page.FullSnapshot;
            var applied = await ApplyPageAsync(partner, page, seen, fetch, actor, ct);
            fetch.Pages++;
            fetch.CheckpointAfter = page.Checkpoint;
            if (page.FullSnapshot || (fetch.FullRefetch && !page.More))
            {
                await SweepAsync(partner, seen, fetch, actor, ct);
                complete = true;
                break;
            }
            if (!page.More) { complete = true; break; }
            if (page.Checkpoint == checkpoint)
            {
                fetch.Outcome = FetchOutcome.Failed;
                fetch.Error = $"the partner repeated checkpoint '{Clip(checkpoint)}' with more pages to come; stopped instead of looping (the page was applied once: {applied})";
                break;
            }
            checkpoint = page.Checkpoint;
        }
        if (!complete && fetch.Outcome == FetchOutcome.Ok) fetch.Notes = Join(fetch.Notes, $"stopped after {options.MaxPagesPerSync} pages; the next run continues");
        await IngestAlertsAsync(partner, ct);
        return new SyncResult(await RecordAsync(fetch, state, ct));
    }

    private static string? Describe(Exception ex) => ex switch
    {
        ExchangeFetchException f => f.Message,
        TaskCanceledException or TimeoutException => "the partner did not answer in time",
        ForbiddenAddressException f => f.Message,
        HttpRequestException h => $"the partner could not be reached ({h.Message})",
        JsonException j => $"malformed page ({j.Message})",
        _ => null,
    };

    private async Task<ExchangeStateRow> EnsureStateAsync(ExchangePartnerOptions partner, string actor, CancellationToken ct)
    {
        await using (var read = dbs.Create())
        {
            if (!await read.Banks.AnyAsync(b => b.Name == partner.Bank, ct))
            {
                try
                {
                    await banks.CreateBankAsync(partner.Bank, new BankSettings($"Synchronised from partner exchange '{partner.Name}' ({partner.Kind})"), actor, ct);
                }
                catch (InvalidOperationException) { /* created meanwhile by another run */ }
            }
            if (await read.Set<ExchangeStateRow>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == partner.Name, ct) is { } existing) return existing;
        }
        await using var db = dbs.Create();
        var row = new ExchangeStateRow { Name = partner.Name };
        db.Set<ExchangeStateRow>().Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            await using var again = dbs.Create();
            return await again.Set<ExchangeStateRow>().AsNoTracking().FirstAsync(s => s.Name == partner.Name, ct);
        }
        return row;
    }

    private sealed record Counts(int Created, int Updated, int Deleted, int UnknownDeletes, int Skipped, int Alerts)
    {
        public override string ToString() => $"{Created} created, {Updated} updated, {Deleted} deleted, {UnknownDeletes} unknown deletes, {Skipped} skipped, {Alerts} alerts";
    }

    /// <summary>One page and its checkpoint in one transaction.</summary>
    private async Task<Counts> ApplyPageAsync(ExchangePartnerOptions partner, ExchangePage page, HashSet<string> seen, ExchangeFetchRow fetch, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int created = 0, updated = 0, deleted = 0, unknown = 0, skipped = 0, alerts = 0;
        var notes = new List<string>();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var bank = await db.Banks.AsNoTracking().FirstAsync(b => b.Name == partner.Bank, ct);
        var ids = page.Deltas.Select(d => d.Id).Distinct().ToList();
        var items = new List<ExchangeItemRow>();
        foreach (var chunk in ids.Chunk(500))
            items.AddRange(await db.Set<ExchangeItemRow>().Where(i => i.Exchange == partner.Name && chunk.Contains(i.ItemId)).ToListAsync(ct));
        var byKey = items.ToDictionary(i => (i.ItemId, i.SignalType));
        var entryIds = items.Select(i => i.BankEntryId).ToList();
        var entries = new Dictionary<long, BankEntryRow>();
        foreach (var chunk in entryIds.Chunk(500))
            foreach (var e in await db.BankEntries.Where(e => chunk.Contains(e.Id)).ToListAsync(ct)) entries[e.Id] = e;
        var pending = new List<(ExchangeItemRow Item, BankEntryRow Entry)>();

        foreach (var delta in page.Deltas)
        {
            seen.Add(delta.Id);
            var mine = items.Where(i => i.ItemId == delta.Id).ToList();
            if (delta.Kind == DeltaKind.Delete)
            {
                var live = mine.Where(i => !i.Deleted).ToList();
                if (live.Count == 0) { unknown++; if (notes.Count < 5) notes.Add($"delete of unknown item '{Clip(delta.Id)}'"); continue; }
                foreach (var i in live) { Retire(i, entries, now); deleted++; }
                continue;
            }
            skipped += delta.Skipped?.Count ?? 0;
            foreach (var s in delta.Skipped ?? []) if (notes.Count < 5) notes.Add($"item '{Clip(delta.Id)}': {s}");
            var labels = partner.Labels.Concat(delta.Labels).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Where(l => l.Length <= 200).Distinct().ToList();
            var labelsJson = JsonSerializer.Serialize(labels, IngestJson.Default.ListString);
            var refsJson = JsonSerializer.Serialize((delta.References ?? []).ToList(), IngestJson.Default.ListString);
            var types = new HashSet<string>(StringComparer.Ordinal);
            foreach (var signal in delta.Signals)
            {
                if (!KnownSignalTypes.TryCanonicalize(signal.SignalType, signal.Value, out var canonical, out var error))
                {
                    skipped++;
                    if (notes.Count < 5) notes.Add($"item '{Clip(delta.Id)}': {error}");
                    continue;
                }
                if (!types.Add(canonical!.SignalType)) continue;
                var entity = delta.Entity is { Length: > 500 } long_ ? long_[..500] : delta.Entity;
                if (byKey.TryGetValue((delta.Id, canonical.SignalType), out var item) && entries.TryGetValue(item.BankEntryId, out var entry))
                {
                    entry.Value = canonical.Value;
                    entry.Payload = canonical.Payload;
                    entry.RegionPayload = canonical.RegionPayload;
                    entry.Quality = canonical.Quality;
                    entry.LabelsJson = labelsJson;
                    entry.Entity = entity;
                    entry.Enabled = !delta.Disputed;
                    entry.UpdatedAt = now;
                    item.Value = canonical.Value;
                    item.Deleted = false;
                    item.Disputed = delta.Disputed;
                    item.ReferencesJson = refsJson;
                    item.UpdatedAt = now;
                    updated++;
                }
                else
                {
                    var row = new BankEntryRow
                    {
                        BankId = bank.Id, SignalType = canonical.SignalType, Value = canonical.Value, Payload = canonical.Payload, RegionPayload = canonical.RegionPayload,
                        Quality = canonical.Quality, Entity = entity, Source = partner.Name, LabelsJson = labelsJson, Enabled = !delta.Disputed,
                        AddedBy = $"exchange:{partner.Name}", AddedAt = now, UpdatedAt = now,
                    };
                    db.BankEntries.Add(row);
                    var newItem = new ExchangeItemRow
                    {
                        Exchange = partner.Name, ItemId = delta.Id, SignalType = canonical.SignalType, Value = canonical.Value, Disputed = delta.Disputed,
                        ReferencesJson = refsJson, CreatedAt = now, UpdatedAt = now,
                    };
                    byKey[(delta.Id, canonical.SignalType)] = newItem;
                    pending.Add((newItem, row));
                    created++;
                }
            }
            // An update that no longer carries a signal the item had: that signal is withdrawn.
            foreach (var gone in mine.Where(i => !i.Deleted && !types.Contains(i.SignalType))) { Retire(gone, entries, now); deleted++; }
        }

        foreach (var a in page.Alerts ?? [])
        {
            if (await db.Set<ExchangeAlertRow>().AnyAsync(x => x.Exchange == partner.Name && x.AlertId == a.Id, ct)) continue;
            db.Set<ExchangeAlertRow>().Add(new ExchangeAlertRow { Exchange = partner.Name, AlertId = a.Id, Url = a.Url, Group = a.Group, Tier = a.Tier, FoundAt = a.FoundAt, ReceivedAt = now });
            alerts++;
        }
        await db.SaveChangesAsync(ct);
        foreach (var (item, entry) in pending) item.BankEntryId = entry.Id;
        db.Set<ExchangeItemRow>().AddRange(pending.Select(p => p.Item));
        var state = await db.Set<ExchangeStateRow>().FirstAsync(s => s.Name == partner.Name, ct);
        if (state.Checkpoint is null || fetch.FullRefetch && fetch.Pages == 0) state.CheckpointAt = now;
        state.Checkpoint = page.Checkpoint;
        var counts = new Counts(created, updated, deleted, unknown, skipped, alerts);
        await audit.AppendAsync(db, [new AuditRecord(actor, "exchange.page_applied", $"exchange:{partner.Name}", fetch.CheckpointAfter ?? fetch.CheckpointBefore,
            $"checkpoint {Clip(page.Checkpoint)}; bank {partner.Bank}: {counts}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (created + updated + deleted > 0) await index.FollowAsync(ct);
        fetch.Created += created; fetch.Updated += updated; fetch.Deleted += deleted; fetch.UnknownDeletes += unknown; fetch.Skipped += skipped; fetch.Alerts += alerts;
        if (notes.Count > 0) fetch.Notes = Join(fetch.Notes, string.Join("; ", notes));
        return counts;
    }

    /// <summary>After a whole list: what the partner no longer lists was deleted.</summary>
    private async Task SweepAsync(ExchangePartnerOptions partner, HashSet<string> seen, ExchangeFetchRow fetch, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var live = await db.Set<ExchangeItemRow>().Where(i => i.Exchange == partner.Name && !i.Deleted).ToListAsync(ct);
        var gone = live.Where(i => !seen.Contains(i.ItemId)).ToList();
        if (gone.Count == 0) return;
        var entries = new Dictionary<long, BankEntryRow>();
        foreach (var chunk in gone.Select(g => g.BankEntryId).Chunk(500))
            foreach (var e in await db.BankEntries.Where(e => chunk.Contains(e.Id)).ToListAsync(ct)) entries[e.Id] = e;
        foreach (var g in gone) Retire(g, entries, now);
        await audit.AppendAsync(db, [new AuditRecord(actor, "exchange.swept", $"exchange:{partner.Name}", After: $"{gone.Count} entries no longer listed by the partner were disabled")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await index.FollowAsync(ct);
        fetch.Deleted += gone.Count;
    }

    /// <summary>A deleted item's entry is disabled, not removed: matches already made keep their provenance.</summary>
    private static void Retire(ExchangeItemRow item, Dictionary<long, BankEntryRow> entries, DateTimeOffset now)
    {
        item.Deleted = true;
        item.UpdatedAt = now;
        if (entries.TryGetValue(item.BankEntryId, out var e) && e.Enabled) { e.Enabled = false; e.UpdatedAt = now; }
    }

    private async Task<ExchangeFetchRow> RecordAsync(ExchangeFetchRow fetch, ExchangeStateRow? state, CancellationToken ct)
    {
        fetch.FinishedAt = clock.GetUtcNow();
        if (fetch.Error is not null) fetch.Error = Clip(fetch.Error, 2000);
        if (fetch.Notes is not null) fetch.Notes = Clip(fetch.Notes, 4000);
        await using var db = dbs.Create();
        db.Set<ExchangeFetchRow>().Add(fetch);
        if (state is not null)
        {
            var s = await db.Set<ExchangeStateRow>().FirstAsync(x => x.Name == fetch.Exchange, ct);
            s.LastFetchAt = fetch.StartedAt;
            if (fetch.Outcome == FetchOutcome.Ok) { s.LastSuccessAt = fetch.FinishedAt; s.LastError = null; }
            else s.LastError = fetch.Error;
        }
        await db.SaveChangesAsync(ct);
        return fetch;
    }

    /// <summary>
    /// Alerts not yet ingested become link items (source <c>partner_alert</c>), so the pipeline and the rules route them by
    /// tier; one that fails to ingest is tried again after the next fetch.
    /// </summary>
    private async Task IngestAlertsAsync(ExchangePartnerOptions partner, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var waiting = await db.Set<ExchangeAlertRow>().Where(a => a.Exchange == partner.Name && a.ContentId == null).OrderBy(a => a.Id).Take(500).ToListAsync(ct);
        foreach (var a in waiting)
        {
            var id = AlertContentId(partner.Name, a.Id);
            var outcome = await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "link", Links = [a.Url],
                Text = $"Partner alert from {partner.Name}: content attributed to {a.Group ?? "an unnamed group"} found at this address (tier {a.Tier}).",
                Source = new EventSource { Type = "partner_alert", Name = partner.Name, Reference = a.AlertId },
            }, null, ct);
            if (outcome.Status == IngestStatus.Rejected)
            {
                log.LogWarning("Exchange {Exchange}: alert {Alert} could not be ingested: {Errors}", partner.Name, a.AlertId, string.Join("; ", outcome.Errors.Select(e => $"{e.Field} {e.Message}")));
                continue;
            }
            a.ContentId = id;
            await db.SaveChangesAsync(ct);
        }
    }

    public static string AlertContentId(string exchange, long alertRowId) => $"{exchange}.alert.{alertRowId}";

    private static string Join(string? a, string b) => string.IsNullOrEmpty(a) ? b : $"{a}; {b}";
    private static string Clip(string? s, int max = 120) => s is null ? "" : s.Length > max ? s[..max] + "…" : s;
}
