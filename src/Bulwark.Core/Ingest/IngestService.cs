using System.Threading.Channels;
using Bulwark.Core.Accounts;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Ingest;

public enum IngestStatus { Accepted, Existing, Rejected }

/// <summary>What happened to one submitted event. <see cref="Errors"/> is non-empty only for <see cref="IngestStatus.Rejected"/>.</summary>
public sealed record IngestOutcome(IngestStatus Status, string? Id, int Version, string? ContentStatus, IReadOnlyList<FieldError> Errors)
{
    public static IngestOutcome Rejected(string? id, IReadOnlyList<FieldError> errors) => new(IngestStatus.Rejected, id, 0, null, errors);
}

/// <summary>
/// Accepts content events: validates them, then in one transaction stores each new version and hands it to the inbox (<see cref="IWorkInbox"/>).
/// A caller is told "queued" only after that commit, so an acknowledged event can never be lost.
/// Single events are group-committed: requests that arrive while a commit is in flight share the next transaction, so a
/// durable commit (an fsync on PostgreSQL) is paid once per group rather than once per request. An idle server commits a
/// lone request at once; there is no waiting window.
/// </summary>
public sealed class IngestService(
    IBulwarkDbFactory dbs,
    ContentEventValidator validator,
    TimeProvider clock,
    WorkSignal signal,
    BulwarkMetrics metrics,
    ILogger<IngestService> log,
    IWorkInbox inbox)
{
    private static readonly string[] ItemColumns = ["Id", "Kind", "AccountId", "LatestVersion", "FirstSeenAt", "UpdatedAt"];
    private static readonly string[] VersionColumns = ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"];

    /// <param name="whenValid">Runs once the event passed validation, before it is stored (moves staged uploads into the media store).</param>
    public async Task<IngestOutcome> AcceptOneAsync(ContentEvent e, IReadOnlyDictionary<string, StoredMedia>? uploads, CancellationToken ct, Action? whenValid = null)
    {
        StorableText.NormalizeFreeText(e); // before the fingerprint and every stage, the same on both databases
        var errors = validator.Validate(e, uploads);
        if (errors.Count > 0)
        {
            metrics.EventsRejected.Add(1);
            return IngestOutcome.Rejected(e.Id, errors);
        }
        whenValid?.Invoke();
        var pending = new PendingEvent(e, new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _committerRunning, 1, 0) == 0) _ = Task.Run(CommitPendingAsync, CancellationToken.None);
        return await pending.Result.Task.WaitAsync(ct);
    }

    private sealed record PendingEvent(ContentEvent Event, TaskCompletionSource<IngestOutcome> Result);

    private const int MaxGroup = 500;
    private readonly Channel<PendingEvent> _pending = Channel.CreateUnbounded<PendingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private int _committerRunning;

    /// <summary>The group committer: takes whatever is waiting (up to <see cref="MaxGroup"/>), stores it in one transaction, repeats.</summary>
    private async Task CommitPendingAsync()
    {
        var group = new List<PendingEvent>(MaxGroup);
        while (true)
        {
            while (group.Count < MaxGroup && _pending.Reader.TryRead(out var next)) group.Add(next);
            if (group.Count == 0)
            {
                Volatile.Write(ref _committerRunning, 0);
                // A request may have arrived between the last read and the flag reset; take it over if nobody else did.
                if (!_pending.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _committerRunning, 1, 0) != 0) return;
                continue;
            }
            try
            {
                var outcomes = await StoreAsync(group.Select(p => p.Event).ToList(), CancellationToken.None);
                for (var i = 0; i < group.Count; i++) group[i].Result.TrySetResult(outcomes[i]);
            }
            catch (Exception ex)
            {
                foreach (var p in group) p.Result.TrySetException(ex);
            }
            group.Clear();
        }
    }

    /// <summary>Accepts a batch; a bad item never blocks the others. Outcomes are in input order.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> AcceptManyAsync(IReadOnlyList<ContentEvent> events, CancellationToken ct)
    {
        var outcomes = new IngestOutcome?[events.Count];
        var valid = new List<ContentEvent>(events.Count);
        var validIndex = new List<int>(events.Count);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            StorableText.NormalizeFreeText(events[i]);
            var errors = validator.Validate(events[i]);
            if (errors.Count == 0 && !firstSeen.TryAdd(events[i].Id!, i))
                errors.Add(new("id", $"'{events[i].Id}' appears more than once in this batch (first at index {firstSeen[events[i].Id!]})"));
            if (errors.Count > 0)
            {
                outcomes[i] = IngestOutcome.Rejected(events[i].Id, errors);
                continue;
            }
            valid.Add(events[i]);
            validIndex.Add(i);
        }
        metrics.EventsRejected.Add(events.Count - valid.Count);
        if (valid.Count > 0)
        {
            var stored = await StoreAsync(valid, ct);
            for (var k = 0; k < stored.Count; k++) outcomes[validIndex[k]] = stored[k];
        }
        return outcomes!;
    }

    private async Task<IReadOnlyList<IngestOutcome>> StoreAsync(IReadOnlyList<ContentEvent> events, CancellationToken ct)
    {
        var prepared = events.Select(e => (Event: e, Canon: EventFingerprint.Compute(e))).ToList();
        // A concurrent writer may insert the same new id (or the same next version) first; the unique keys
        // refuse the second commit and one retry on fresh state resolves it as a new version or as existing.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryStoreAsync(prepared, ct);
                signal.Notify();
                return result;
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException && attempt < 3)
            {
                log.LogDebug(ex, "Ingest conflict on attempt {Attempt}; retrying", attempt);
            }
        }
    }

    private async Task<IReadOnlyList<IngestOutcome>> TryStoreAsync(List<(ContentEvent Event, (string Json, string Fingerprint) Canon)> prepared, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var ids = prepared.Select(p => p.Event.Id!).ToList();
        var items = await db.ContentItems.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, StringComparer.Ordinal, ct);
        var known = items.Count == 0
            ? new Dictionary<(string, string), (int Version, string Status)>()
            : (await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.ContentId))
                    .Select(v => new { v.ContentId, v.Fingerprint, v.Version, v.Status }).ToListAsync(ct))
                .GroupBy(v => (v.ContentId, v.Fingerprint))
                .ToDictionary(g => g.Key, g => { var v = g.MaxBy(x => x.Version)!; return (v.Version, v.Status); });

        var now = clock.GetUtcNow();
        var outcomes = new List<IngestOutcome>(prepared.Count);
        var newItems = new List<ContentItem>();
        var versions = new List<ContentVersion>();
        var linked = new List<(string, IReadOnlyList<LinkedIdentifier>)>();
        foreach (var (e, (json, fingerprint)) in prepared)
        {
            if (known.TryGetValue((e.Id!, fingerprint), out var existing))
            {
                outcomes.Add(new(IngestStatus.Existing, e.Id, existing.Version, existing.Status, []));
                continue;
            }
            if (!items.TryGetValue(e.Id!, out var item))
            {
                item = new ContentItem { Id = e.Id!, Kind = e.Kind!, AccountId = e.Account?.Id, FirstSeenAt = now };
                items[e.Id!] = item;
                newItems.Add(item); // inserted below in bulk; existing items are tracked and updated by SaveChanges
            }
            item.LatestVersion++;
            item.Kind = e.Kind!;
            item.AccountId = e.Account?.Id ?? item.AccountId;
            item.UpdatedAt = now;
            versions.Add(new ContentVersion
            {
                ContentId = item.Id, Version = item.LatestVersion, Fingerprint = fingerprint, EventJson = json,
                Status = ContentStatus.Queued, ReceivedAt = now,
            });
            if (e.Account is { Id: { } accountId, LinkedIdentifiers: { Count: > 0 } identifiers }) linked.Add((accountId, identifiers));
            outcomes.Add(new(IngestStatus.Accepted, e.Id, item.LatestVersion, ContentStatus.Queued, []));
            known[(e.Id!, fingerprint)] = (item.LatestVersion, ContentStatus.Queued); // a repeat later in the same group is "existing"
        }
        if (versions.Count > 0)
        {
            // Identifier links commit with the event, so an acknowledged event's links are never lost.
            await AccountLinks.RecordAsync(db, linked, now, ct);
            await db.SaveChangesAsync(ct);
            await BulkInsert.InsertAsync(db, newItems, ItemColumns, null, ct);
            var inserted = await BulkInsert.InsertAsync(db, versions, VersionColumns, ["Id", "ContentId", "Version"], ct);
            var idOf = inserted.ToDictionary(r => ((string)r[1]!, Convert.ToInt32(r[2])), r => Convert.ToInt64(r[0]));
            // The inbox entry commits with the version (a transactional outbox): acknowledged means queued.
            await inbox.AddAsync(db, versions.Select(v => idOf[(v.ContentId, v.Version)]).ToList(), now, ct);
            await tx.CommitAsync(ct);
            metrics.EventsAccepted.Add(versions.Count);
        }
        return outcomes;
    }
}
