using System.Diagnostics;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Pipeline;

/// <summary>Which claimed items are finished (their results committed) and which failed.</summary>
public sealed record BatchOutcome(IReadOnlyList<ClaimedWork> Completed, IReadOnlyList<WorkFailure> Failed);

/// <summary>
/// Runs claimed items through signal extraction, the policy decision and the action stages, then commits every result of
/// the batch (signals, decision, status, audit entries) in one transaction. A version that already has a decision is not
/// processed again, so redelivery after a crash has no second effect.
/// </summary>
public sealed class PipelineProcessor(
    IBulwarkDbFactory dbs,
    IEnumerable<ISignalExtractor> extractors,
    IPolicyDecider decider,
    IEnumerable<IActionStage> actions,
    TimeProvider clock,
    BulwarkMetrics metrics,
    PipelineOptions options,
    ILogger<PipelineProcessor> log,
    Bulwark.Core.Actions.Restrictions.RestrictionWriter writer)
{
    private static readonly string[] SignalColumns = ["ContentVersionId", "Type", "Source", "Value", "Score", "Distance", "Bank", "BankEntryId", "LabelsJson", "Explanation", "CreatedAt", "DetailsJson"];
    private readonly ISignalExtractor[] _extractors = extractors.ToArray();
    private readonly IActionStage[] _actions = actions.ToArray();
    private readonly IBatchPreparation[] _preparations =
        extractors.Cast<object>().Append(decider).Concat(actions).OfType<IBatchPreparation>().ToArray();

    public async Task<BatchOutcome> ProcessAsync(IReadOnlyList<ClaimedWork> batch, CancellationToken ct)
    {
        var completed = new List<ClaimedWork>();
        var failed = new List<WorkFailure>();
        var runnable = new List<ClaimedWork>(batch.Count);
        foreach (var w in batch)
        {
            if (w.Attempt > options.MaxAttempts)
                failed.Add(new(w, $"gave up after {options.MaxAttempts} attempts: processing never finished (the worker stopped or timed out each time)", Retryable: false));
            else runnable.Add(w);
        }

        var loading = Stopwatch.GetTimestamp();
        var versions = await LoadAsync(runnable, ct);
        RecordShare("load", loading, runnable.Count);
        var results = new ItemResult?[runnable.Count];
        var contexts = new PipelineContext?[runnable.Count];
        for (var i = 0; i < runnable.Count; i++)
        {
            var work = runnable[i];
            if (!versions.TryGetValue(work.ContentVersionId, out var v) || v.Status == ContentStatus.Decided) results[i] = ItemResult.AlreadyDone(work);
            else if (Read(v) is { } e) contexts[i] = new PipelineContext(v.Id, v.ContentId, v.Version, e);
            else results[i] = ItemResult.Failed(work, "the stored event could not be read", retryable: false);
        }
        await PrepareAsync(contexts.OfType<PipelineContext>().ToList(), ct);
        await Parallel.ForEachAsync(Enumerable.Range(0, runnable.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            async (i, token) =>
            {
                if (contexts[i] is { } context) results[i] = await RunStagesAsync(runnable[i], context, token);
            });

        var toCommit = new List<ItemResult>();
        foreach (var r in results)
        {
            if (r!.Done) completed.Add(r.Work);
            else if (r.Failure is not null) failed.Add(r.Failure);
            else toCommit.Add(r);
        }
        if (toCommit.Count > 0)
        {
            try
            {
                var committing = Stopwatch.GetTimestamp();
                await CommitAsync(toCommit, ct);
                RecordShare("commit", committing, toCommit.Count);
                completed.AddRange(toCommit.Select(r => r.Work));
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
            {
                // Another worker may have committed one of these after a lease expired; settle them one at a time.
                log.LogWarning(ex, "Batch commit conflicted; committing {Count} items individually", toCommit.Count);
                foreach (var r in toCommit)
                {
                    try
                    {
                        await CommitAsync([r], ct);
                        completed.Add(r.Work);
                    }
                    catch (Exception single) when (single is DbUpdateException or System.Data.Common.DbException)
                    {
                        if (await IsDecidedAsync(r.Work.ContentVersionId, ct)) completed.Add(r.Work);
                        else failed.Add(new WorkFailure(r.Work, $"commit failed: {single.InnerException?.Message ?? single.Message}", Retryable: true));
                    }
                }
            }
        }
        return new BatchOutcome(completed, failed);
    }

    private async Task<Dictionary<long, VersionInfo>> LoadAsync(List<ClaimedWork> work, CancellationToken ct)
    {
        if (work.Count == 0) return [];
        var ids = work.Select(w => w.ContentVersionId).ToList();
        await using var db = dbs.Create();
        return await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Select(v => new VersionInfo(v.Id, v.ContentId, v.Version, v.Status, v.EventJson))
            .ToDictionaryAsync(v => v.Id, ct);
    }

    private ContentEvent? Read(VersionInfo v)
    {
        ContentEvent? e;
        try { e = JsonSerializer.Deserialize(v.EventJson, IngestJson.Default.ContentEvent); }
        catch (JsonException ex) { log.LogError(ex, "Stored event of version {Id} is unreadable", v.Id); return null; }
        if (e is not null) StorableText.NormalizeFreeText(e); // an event stored before ingest replaced NUL must not fail the commit on PostgreSQL
        return e;
    }

    /// <summary>
    /// Runs every stage's batch preparation (its database reads for all items at once) side by side, before any item runs.
    /// A failure propagates like a failed load: the worker backs off and the batch's leases run out, so it is claimed again.
    /// </summary>
    private async Task PrepareAsync(IReadOnlyList<PipelineContext> contexts, CancellationToken ct)
    {
        if (contexts.Count == 0 || _preparations.Length == 0) return;
        await Task.WhenAll(_preparations.Select(async p =>
        {
            var start = Stopwatch.GetTimestamp();
            await p.PrepareAsync(contexts, ct);
            RecordShare($"prepare:{p.Name}", start, contexts.Count);
        }));
    }

    private async Task<ItemResult> RunStagesAsync(ClaimedWork work, PipelineContext context, CancellationToken ct)
    {
        try
        {
            foreach (var extractor in _extractors)
            {
                var r = await Timed(extractor.Name, () => extractor.ExtractAsync(context, ct));
                if (!r.Ok) return ItemResult.Failed(work, $"{extractor.Name}: {r.Error}", r.Retryable);
            }
            var deciding = Stopwatch.GetTimestamp();
            var decision = await decider.DecideAsync(context, ct);
            Record("decider", deciding);
            foreach (var action in _actions)
            {
                var r = await Timed(action.Name, () => action.ActAsync(context, decision, ct));
                if (!r.Ok) return ItemResult.Failed(work, $"{action.Name}: {r.Error}", r.Retryable);
            }
            return new ItemResult(work, context, decision, null, Done: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(ex, "Stage failed for content {ContentId} v{Version}", context.ContentId, context.Version);
            return ItemResult.Failed(work, $"{ex.GetType().Name}: {ex.Message}", retryable: true);
        }
    }

    private async ValueTask<StageResult> Timed(string stage, Func<ValueTask<StageResult>> run)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await run();
        Record(stage, start);
        return result;
    }

    private void Record(string stage, long start) =>
        metrics.StageLatency.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>A step done once for a batch (load, preparation, commit): each of its items is given an equal share of its time.</summary>
    private void RecordShare(string stage, long start, int items)
    {
        if (items == 0) return;
        var share = Stopwatch.GetElapsedTime(start).TotalMilliseconds / items;
        var tag = new KeyValuePair<string, object?>("stage", stage);
        for (var i = 0; i < items; i++) metrics.StageLatency.Record(share, tag);
    }

    // The item's own results (signals, status) are stored here; the decision and everything it causes (actions, strikes,
    // thresholds, statements, preservation, review cases, audit) by the restriction writer, in the same transaction.
    private async Task CommitAsync(IReadOnlyList<ItemResult> items, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var ids = items.Select(r => r.Work.ContentVersionId).ToList();
        // Re-read status inside the transaction: another worker may have decided an item since it was loaded.
        var current = await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Select(v => new { v.Id, v.Status }).ToDictionaryAsync(v => v.Id, ct);
        var now = clock.GetUtcNow();
        var decided = new List<long>(items.Count);
        var signals = new List<SignalRow>();
        var restrictions = new List<Bulwark.Core.Actions.Restrictions.PipelineRestriction>(items.Count);
        foreach (var r in items)
        {
            if (!current.TryGetValue(r.Work.ContentVersionId, out var version) || version.Status == ContentStatus.Decided) continue;
            decided.Add(version.Id);
            foreach (var s in r.Context!.Signals)
                signals.Add(new SignalRow
                {
                    ContentVersionId = version.Id, Type = s.Type, Source = s.Source, Value = s.Value, Score = s.Score,
                    Distance = s.Distance, Bank = s.Bank, BankEntryId = s.BankEntryId,
                    LabelsJson = JsonSerializer.Serialize(s.Labels?.ToList() ?? [], IngestJson.Default.ListString),
                    Explanation = s.Explanation, CreatedAt = now, DetailsJson = s.DetailsJson,
                });
            restrictions.Add(new(r.Context!, r.Decision!, version.Status));
        }
        // One statement for every status change instead of one per row.
        await db.ContentVersions.Where(v => decided.Contains(v.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(v => v.Status, ContentStatus.Decided)
            .SetProperty(v => v.DecidedAt, now)
            .SetProperty(v => v.Error, (string?)null), ct);
        await BulkInsert.InsertAsync(db, signals, SignalColumns, null, ct);
        if (restrictions.Count > 0) await writer.WritePipelineBatchAsync(db, restrictions, ct);
        await tx.CommitAsync(ct);
        metrics.EventsDecided.Add(restrictions.Count);
    }

    private async Task<bool> IsDecidedAsync(long versionId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Decisions.AnyAsync(d => d.ContentVersionId == versionId, ct);
    }

    private sealed record VersionInfo(long Id, string ContentId, int Version, string Status, string EventJson);

    private sealed record ItemResult(ClaimedWork Work, PipelineContext? Context, Decision? Decision, WorkFailure? Failure, bool Done)
    {
        public static ItemResult AlreadyDone(ClaimedWork w) => new(w, null, null, null, Done: true);
        public static ItemResult Failed(ClaimedWork w, string error, bool retryable) => new(w, null, null, new WorkFailure(w, error, retryable), Done: false);
    }
}
